import type { Locator, Page } from "@playwright/test";
import { createThroughApi } from "./fixtures/api";
import { expect, searchPath, signIn, test } from "./fixtures/page";
import { seedStrategies, serverForThisFile } from "./fixtures/server";

// Focus goes where the user is, and a keyboard alone does everything (README, "Keyboard").

const server = serverForThisFile();

/** Presses Tab until `target` has focus; fails after `limit` presses. Returns the count. */
async function tabTo(page: Page, target: Locator, limit = 40): Promise<number> {
  for (let presses = 0; presses <= limit; presses += 1) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false))
      return presses;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Not reached in ${limit} presses of Tab`);
}

const heading = (page: Page, name: string | RegExp) =>
  page.getByRole("heading", { level: 1, name });

test("by keyboard alone: sign in, create, edit and delete, with focus on each new view's heading", async ({
  page,
}) => {
  // A long story (about 40 key presses, each awaited) that the default 30 s can cut short
  // on a loaded machine: the time is given, the assertions are unchanged.
  test.setTimeout(60_000);
  const name = server.uniqueName("keys");
  // The list searched for the name about to be created, so its row is there to reach.
  await page.goto(server.url(searchPath(name)));
  await expect(heading(page, "Sign in to Stalwart")).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("radio", { name: "Username and password" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Username")).toBeFocused();
  await page.keyboard.type(server.admin.username);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(server.admin.password);
  await page.keyboard.press("Enter");

  // Signed in: focus is on the list's heading, not on <body>.
  await expect(heading(page, "TLS Strategies")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Create strategy" })).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(heading(page, "Create strategy")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Name")).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Description")).toBeFocused();
  await page.keyboard.type("made by keyboard");
  await tabTo(page, page.getByRole("button", { name: "Create", exact: true }));
  await page.keyboard.press("Enter");

  // Created: back on the list, focus on its heading, the news read out.
  await expect(heading(page, "TLS Strategies")).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: `Created “${name}”.` })).toBeVisible();
  await tabTo(page, page.getByRole("link", { name, exact: true }));
  await page.keyboard.press("Enter");

  await expect(heading(page, `Edit “${name}”`)).toBeFocused();
  await tabTo(page, page.getByLabel("Description"));
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type("edited by keyboard");
  await tabTo(page, page.getByRole("button", { name: "Save", exact: true }));
  await page.keyboard.press("Enter");

  await expect(heading(page, "TLS Strategies")).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${name}”.` })).toBeVisible();
  await tabTo(page, page.getByRole("link", { name, exact: true }));
  await page.keyboard.press("Enter");
  await expect(heading(page, `Edit “${name}”`)).toBeFocused();
  await expect(page.getByLabel("Description")).toHaveValue("edited by keyboard");
  await tabTo(page, page.getByRole("button", { name: "Delete", exact: true }));
  await page.keyboard.press("Enter");

  // The dialog takes focus; Escape would cancel; Tab reaches Delete.
  const dialog = page.getByRole("dialog", { name: `Delete “${name}”?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Delete" })).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(heading(page, "TLS Strategies")).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: `Deleted “${name}”.` })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});

test("Reset to default puts focus on the field it reset", async ({ page }) => {
  const name = server.uniqueName("invalid-certs");
  await createThroughApi(server, { name, allowInvalidCerts: true });
  await signIn(page, server, server.admin, searchPath(name));
  await page.getByRole("link", { name, exact: true }).click();
  await expect(heading(page, `Edit “${name}”`)).toBeFocused();
  const reset = page.getByRole("button", { name: "Reset Allow invalid certificates to default" });
  await tabTo(page, reset);
  await page.keyboard.press("Enter");
  await expect(reset).toHaveCount(0);
  await expect(page.getByLabel("Allow invalid certificates")).toBeFocused();
  await expect(page.getByLabel("Allow invalid certificates")).not.toBeChecked();

  await page.getByLabel("TLS handshake timeout").fill("1m");
  const resetTimeout = page.getByRole("button", { name: "Reset TLS handshake timeout to default" });
  await resetTimeout.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("TLS handshake timeout")).toBeFocused();
  await expect(page.getByLabel("TLS handshake timeout")).toHaveValue("3m");
});

test("with 25 rows and some selected, pagination is a few Tab presses away, through the skip link", async ({
  page,
}) => {
  const group = server.uniqueName("row");
  await seedStrategies(
    server,
    Array.from({ length: 30 }, (_, i) => `${group}-${String(i).padStart(2, "0")}`),
  );
  await signIn(page, server, server.admin, searchPath(group));
  await expect(page.getByRole("row")).toHaveCount(26);
  // The skip link is there once rows are selected (with nothing selected there is nothing
  // to act on below the rows but pagination, and no link to skip to it: README, "Keyboard").
  await expect(page.getByRole("link", { name: "Skip to pagination" })).toHaveCount(0);
  await page.getByRole("row").nth(1).getByRole("checkbox").check();
  await heading(page, "TLS Strategies").focus();
  const skip = page.getByRole("link", { name: "Skip to pagination" });
  const presses = await tabTo(page, skip, 12);
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("navigation", { name: "Pagination" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Next page" })).toBeFocused();
  expect(presses + 2).toBeLessThanOrEqual(12);
  await page.keyboard.press("Enter");
  await expect(page.getByText(/^Showing 26–/)).toBeVisible();
});
