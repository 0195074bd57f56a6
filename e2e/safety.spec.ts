import {
  countApiRequests,
  createStrategy,
  deliveryUses,
  expect,
  expectNoAxeViolations,
  isStoredNamesRead,
  LIST_PATH,
  rowOf,
  searchPath,
  signIn,
  test,
} from "./fixtures/page";
import { seedStrategies, serverForThisFile } from "./fixtures/server";

const server = serverForThisFile();

/** Creates `name`, signs in on the list searched for it (where "back to the list" returns), and opens it. */
async function openNew(page: import("@playwright/test").Page, name: string) {
  const ids = await seedStrategies(server, [name]);
  await signIn(page, server, server.admin, searchPath(name));
  await page.goto(server.url(`${LIST_PATH}/${ids[name]}`));
  await expect(page.getByLabel("Name")).toHaveValue(name);
}

test("leaving unsaved changes by a link, Back or sign-out asks first; no false alarms", async ({
  page,
}) => {
  const name = server.uniqueName("leave");
  await openNew(page, name);
  // An untouched form leaves without a word.
  await page.getByRole("link", { name: "TLS Strategies" }).click();
  await expect(page.getByRole("table")).toBeVisible();
  await page.getByRole("link", { name, exact: true }).click();

  const description = page.getByLabel("Description", { exact: true });
  await description.fill("Not saved yet");
  const leave = page.getByRole("dialog", { name: "Leave without saving?" });

  await page.getByRole("link", { name: "Cancel" }).click();
  await expect(leave).toBeVisible();
  await expectNoAxeViolations(page);
  await leave.getByRole("button", { name: "Stay" }).click();
  await expect(description).toHaveValue("Not saved yet");

  await page.goBack();
  await expect(leave).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${LIST_PATH}/[a-z0-9]+$`));
  await leave.getByRole("button", { name: "Stay" }).click();
  await expect(description).toHaveValue("Not saved yet");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(leave).toBeVisible();
  await leave.getByRole("button", { name: "Stay" }).click();
  await expect(description).toHaveValue("Not saved yet");

  // Closing or reloading the tab: the browser's own question. Staying cancels the reload.
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.type());
    await dialog.dismiss();
  });
  await page.reload({ timeout: 2_000 }).catch(() => undefined);
  expect(dialogs).toEqual(["beforeunload"]);
  await expect(description).toHaveValue("Not saved yet");

  // After a save, leaving is free.
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
  await page.getByRole("link", { name, exact: true }).click();
  await page.goBack();
  await expect(page.getByRole("table")).toBeVisible();
  await expect(leave).toBeHidden();
  expect(dialogs).toEqual(["beforeunload"]);

  // Leave means leave.
  await page.getByRole("link", { name, exact: true }).click();
  await description.fill("Thrown away");
  await page.goBack();
  await leave.getByRole("button", { name: "Leave" }).click();
  await expect(page.getByRole("table")).toBeVisible();
});

test("credentials revoked while editing: sign in again in place, and the save goes through", async ({
  page,
}) => {
  const name = server.uniqueName("revoked");
  await openNew(page, name);
  await page.getByLabel("Description", { exact: true }).fill("Kept across the sign-in");
  let refusals = 0;
  await page.route("**/jmap/", async (route) => {
    // The save's request is refused, not the background read of every name (it may come first).
    if (refusals > 0 || isStoredNamesRead(route.request().postData() ?? ""))
      return route.continue();
    refusals += 1;
    await route.fulfill({
      status: 401,
      contentType: "application/problem+json",
      body: JSON.stringify({
        type: "about:blank",
        status: 401,
        title: "Unauthorized",
        detail: "You have to authenticate first.",
      }),
    });
  });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Sign in again" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Username", { exact: true })).toHaveValue(server.admin.username);
  await expectNoAxeViolations(page);
  await dialog.getByLabel("Password", { exact: true }).fill(server.admin.password);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByLabel("Description", { exact: true })).toHaveValue(
    "Kept across the sign-in",
  );
});

test("a 503 on save keeps the form and offers to try again", async ({ page }) => {
  const name = server.uniqueName("outage");
  await openNew(page, name);
  await page.getByLabel("Description", { exact: true }).fill("Typed during the outage");
  await page.route("**/jmap/", (route) =>
    route.request().postData()?.includes("x:MtaTlsStrategy/set")
      ? route.fulfill({ status: 503, body: "Service Unavailable" })
      : route.continue(),
  );
  const requests = countApiRequests(page);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("The server answered 503");
  await expect(page.getByLabel("Description", { exact: true })).toHaveValue(
    "Typed during the outage",
  );
  // A change is never sent again behind the admin's back.
  await page.waitForTimeout(500);
  expect(requests.changes).toBe(1);
  await page.unrouteAll();
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
});

test("each security rule explains its consequence; an error blocks the save", async ({ page }) => {
  await signIn(page, server);
  await page.getByRole("link", { name: "Create strategy" }).click();
  const review = page.getByRole("region", { name: "Security review" });
  await expect(review).toContainText("No concerns");
  const startTls = page.getByLabel("STARTTLS", { exact: true });
  const dane = page.getByLabel("DANE", { exact: true });
  const mtaSts = page.getByLabel("MTA-STS", { exact: true });

  await startTls.selectOption({ label: "Disabled" });
  await expect(review).toContainText("Warning: STARTTLS is Disabled: mail leaves in plain text");
  await mtaSts.selectOption({ label: "Required" });
  await expect(review).toContainText("Error: STARTTLS is Disabled while MTA-STS is Required");
  await expect(review).toContainText("can never be delivered");

  await page.getByLabel("Name").fill(server.uniqueName("blocked"));
  const requests = countApiRequests(page);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("This combination cannot deliver mail");
  expect(requests.changes).toBe(0);

  await startTls.selectOption({ label: "Required" });
  await page.getByLabel("Allow invalid certificates", { exact: true }).check();
  await expect(review).toContainText("Invalid certificates are allowed while MTA-STS is Required");
  await expect(review).toContainText("The requirement is weakened");
  await dane.selectOption({ label: "Required" });
  await expect(review).toContainText(
    "DANE is Required: domains without DNSSEC-signed TLSA records",
  );
  await page.getByLabel("TLS handshake timeout", { exact: true }).fill("2s");
  await expect(review).toContainText("TLS handshake timeout is 2s, under 5s");
  await page.getByLabel("MTA-STS lookup timeout", { exact: true }).fill("2h");
  await expect(review).toContainText("MTA-STS lookup timeout is 2h, over 1h");

  // Warnings can be saved, after confirming a summary of what is not default.
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: "Create with warnings?" });
  await expect(confirm).toContainText("STARTTLS: Optional → Required");
  await expect(confirm).toContainText("Allow invalid certificates: No → Yes");
  await expectNoAxeViolations(page);
  await confirm.getByRole("button", { name: "Go back" }).click();
  await expect(confirm).toBeHidden();
  expect(requests.changes).toBe(0);
});

test("defaults are shown, can be restored, and the list marks what differs", async ({ page }) => {
  const group = server.uniqueName("defaults");
  const name = `${group}-custom`;
  await signIn(page, server, server.admin, searchPath(group));
  await page.getByRole("link", { name: "Create strategy" }).click();
  const timeout = page.getByLabel("TLS handshake timeout", { exact: true });
  await expect(timeout).toHaveAccessibleDescription(/Default: 3m\./);
  await expect(
    page.getByRole("button", { name: "Reset TLS handshake timeout to default" }),
  ).toHaveCount(0);
  await timeout.fill("45s");
  await page.getByRole("button", { name: "Reset TLS handshake timeout to default" }).click();
  await expect(timeout).toHaveValue("3m");
  await page.getByLabel("STARTTLS", { exact: true }).selectOption({ label: "Required" });
  await page.getByLabel("MTA-STS lookup timeout", { exact: true }).fill("1m");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Created “${name}”.`);
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row).toContainText("Differs from defaults: STARTTLS, MTA-STS lookup timeout");
  const plain = `${group}-plain`;
  await createStrategy(page, { name: plain });
  const untouched = page
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: plain, exact: true }) });
  await expect(untouched).toBeVisible();
  await expect(untouched).not.toContainText("Differs from defaults");
});

test("strategies the outbound strategy uses are marked, and deleting one warns", async ({
  page,
}) => {
  // This file's own strategies, named by the outbound strategy's rule as the page reads it:
  // what delivery uses on the server is never changed.
  const group = server.uniqueName("usage");
  const [byDefault, byCondition, name] = ["default", "on-retry", "unused"].map(
    (label) => `${group}-${label}`,
  ) as [string, string, string];
  await seedStrategies(server, [byDefault, byCondition]);
  await deliveryUses(page, byDefault, byCondition);
  await signIn(page, server, server.admin, searchPath(group));
  const used = rowOf(page, byDefault);
  await expect(used).toContainText("Used by the outbound strategy");
  // The mark says by which rule: the one here is Otherwise, the other rule 1.
  await expect(used.getByText("Used by", { exact: false })).toHaveText(
    "Used by the outbound strategy's Otherwise",
  );
  await expect(rowOf(page, byCondition).getByText("Used by", { exact: false })).toHaveText(
    "Used by the outbound strategy's rule 1",
  );
  await createStrategy(page, { name });
  const unused = rowOf(page, name);
  await expect(unused).not.toContainText("Used by the outbound strategy");

  await page.getByRole("link", { name: byDefault, exact: true }).click();
  await expect(page.getByText(`Delivery picks “${byDefault}” by name`)).toBeVisible();
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete “${byDefault}”?` });
  await expect(dialog).toContainText("silently falls back to Stalwart's built-in TLS defaults");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("link", { name: "TLS Strategies" }).click();
  await page.getByRole("checkbox", { name: `Select ${byCondition}` }).check();
  await page.getByRole("checkbox", { name: `Select ${name}` }).check();
  await page.getByRole("button", { name: "Delete selected (2)" }).click();
  await expect(page.getByRole("dialog")).toContainText(
    `the outbound strategy picks “${byCondition}” by name`,
  );
});

test("a 401 while the form is being filled in asks to sign in over it, not away from it", async ({
  page,
}) => {
  await signIn(page, server);
  await page.getByRole("link", { name: "Create strategy" }).click();
  await page.getByLabel("Description", { exact: true }).fill("Typed before the 401");
  await page.route("**/jmap/", (route) =>
    route.fulfill({
      status: 401,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "about:blank", status: 401, title: "Unauthorized" }),
    }),
  );
  // Typing a name asks the server whether it is taken: that read gets the 401.
  await page.getByLabel("Name").fill(server.uniqueName("typed"));
  const dialog = page.getByRole("dialog", { name: "Sign in again" });
  await expect(dialog).toBeVisible();
  await page.unrouteAll();
  await dialog.getByLabel("Password", { exact: true }).fill(server.admin.password);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel("Description", { exact: true })).toHaveValue("Typed before the 401");
  await expect(page.getByText(/is free\./)).toBeVisible();
});
