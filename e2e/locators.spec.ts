import type { Page } from "@playwright/test";
import { createThroughApi } from "./fixtures/api";
import { expect, LIST_PATH, searchPath, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

// With the locators Playwright recommends (getByLabel, getByRole without `exact`), every
// control resolves to exactly one element, in every state of the page. README, "Testing this
// page with Playwright", lists what is guaranteed.

const server = serverForThisFile();

/** Every field label of the strategy form, as getByLabel finds them without `exact`. */
const FORM_LABELS = [
  "Name",
  "Description",
  "DANE",
  "STARTTLS",
  "Allow invalid certificates",
  "TLS handshake timeout",
  "MTA-STS lookup timeout",
];

/**
 * Each label finds exactly one control. "MTA-STS" is the one label that is part of another
 * ("MTA-STS lookup timeout"): Playwright's non-exact getByLabel is a case-insensitive
 * substring match, so no page can make both unique. Its select is found with `exact: true`
 * or by role, and both are checked here.
 */
async function expectUniqueLabels(page: Page, state: string) {
  for (const label of FORM_LABELS) {
    await expect(page.getByLabel(label), `${label} (${state})`).toHaveCount(1);
  }
  await expect(page.getByLabel("MTA-STS", { exact: true }), `MTA-STS (${state})`).toHaveCount(1);
  await expect(page.getByRole("combobox", { name: "MTA-STS" }), state).toHaveCount(1);
  await expect(page.getByLabel("MTA-STS"), `MTA-STS (${state})`).toHaveCount(2);
}

test("sign-in: Username, Password and API key each label one control", async ({ page }) => {
  await page.goto(server.url(LIST_PATH));
  await expect(page.getByLabel("Username")).toHaveCount(1);
  await expect(page.getByLabel("Password")).toHaveCount(1);
  await page.getByRole("radio", { name: "API key (Bearer token)" }).click();
  await expect(page.getByLabel("API key")).toHaveCount(1);
  await expect(page.getByLabel("API key")).toHaveAttribute("type", "password");
  await page.getByRole("radio", { name: "Username and password" }).click();
  await page.getByLabel("Username").fill("admin");
  await page.getByRole("button", { name: "Sign in" }).click();
  // An error shown: still one each.
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveCount(1);
  await expect(page.getByLabel("Password")).toHaveCount(1);
});

test("the form's labels stay unique with defaults, changed values, errors and a dialog open", async ({
  page,
}) => {
  await signIn(page, server);
  await page.getByRole("link", { name: "Create strategy" }).click();
  await expectUniqueLabels(page, "defaults");

  // Changed values: every "Reset … to default" button shows.
  await page.getByLabel("DANE").selectOption("disable");
  await page.getByLabel("STARTTLS").selectOption("require");
  await page.getByLabel("MTA-STS", { exact: true }).selectOption("require");
  await page.getByLabel("Allow invalid certificates").check();
  await page.getByLabel("TLS handshake timeout").fill("1m");
  await page.getByLabel("MTA-STS lookup timeout").fill("2m");
  await expect(page.getByRole("button", { name: /^Reset .* to default$/ })).toHaveCount(6);
  await expectUniqueLabels(page, "changed values");

  // Errors.
  await page.getByLabel("Name").fill("not a name");
  await page.getByLabel("TLS handshake timeout").fill("soon");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expectUniqueLabels(page, "errors");

  // A dialog open over the form.
  await page.getByLabel("Name").fill(server.uniqueName("weak"));
  await page.getByLabel("TLS handshake timeout").fill("1m");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Create with warnings?" })).toBeVisible();
  await expectUniqueLabels(page, "dialog open");
});

test("edit opens with a value that differs (invalid certificates allowed) and its labels are unique", async ({
  page,
}) => {
  const name = server.uniqueName("invalid-certs");
  await createThroughApi(server, { name, allowInvalidCerts: true });
  await signIn(page, server, server.admin, searchPath(name));
  await page.getByRole("link", { name }).click();
  await expect(
    page.getByRole("button", { name: "Reset Allow invalid certificates to default" }),
  ).toBeVisible();
  await expectUniqueLabels(page, "invalid certificates allowed");
});

test("each strategy's name is one link on the list; row actions are found inside the row", async ({
  page,
}) => {
  // The README's list locators, without `exact`, on a list of this file's strategies (no name
  // part of another): one with the defaults, one that differs, one edited below.
  const names = [
    server.uniqueName("plain"),
    server.uniqueName("invalid-certs"),
    server.uniqueName("used"),
  ];
  const [, , used] = names as [string, string, string];
  await createThroughApi(server, { name: names[0] as string });
  await createThroughApi(server, { name: names[1] as string, allowInvalidCerts: true });
  await createThroughApi(server, { name: used, startTls: "require" });
  await signIn(page, server, server.admin, searchPath(server.prefix));
  for (const name of names) {
    await expect(page.getByRole("link", { name }), name).toHaveCount(1);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name }) });
    await expect(row.getByRole("link", { name: "Duplicate" })).toHaveCount(1);
    await expect(row.getByRole("checkbox")).toHaveCount(1);
  }
  // After a change, with "Not applied yet" and the pending notice on the page, still one.
  await page.getByRole("link", { name: used }).click();
  await page.getByLabel("Description").fill("changed");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  for (const name of names) {
    await expect(page.getByRole("link", { name }), name).toHaveCount(1);
  }
});
