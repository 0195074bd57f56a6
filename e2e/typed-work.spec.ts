import { createThroughApi, readThroughApi } from "./fixtures/api";
import { holdNextRequest, isStrategyWrite } from "./fixtures/held-answers";
import { expect, LIST_PATH, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

// A save never silently drops what was typed during it (README, "Typed work is never lost
// during a save"): while it is in flight the form is locked, so nothing can be typed that
// would be neither sent nor kept; while a question is asked, the button does not claim to be
// saving.

const server = serverForThisFile();

const mtaStsTimeout = (page: import("@playwright/test").Page) =>
  page.getByLabel("MTA-STS lookup timeout", { exact: true });

test("while a slow write is in flight the edit form is locked, and what is saved is what was sent", async ({
  page,
}) => {
  const name = server.uniqueName("slow");
  const id = await createThroughApi(server, { name });
  await signIn(page, server, server.admin, `${LIST_PATH}/${id}`);
  await page.getByLabel("Description", { exact: true }).fill("Slow write");

  const slow = await holdNextRequest(page, isStrategyWrite);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await slow.held;
  await expect(page.getByRole("button", { name: "Saving…" })).toBeVisible();
  for (const field of [
    mtaStsTimeout(page),
    page.getByLabel("Description", { exact: true }),
    page.getByLabel("DANE"),
    page.getByLabel("Allow invalid certificates"),
  ]) {
    await expect(field).toBeDisabled();
    await expect(field).not.toBeEditable();
  }
  await expect(page.getByText("The fields are locked until the server answers.")).toBeVisible();

  slow.release();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${name}”.` })).toBeVisible();
  expect(await readThroughApi(server, id)).toMatchObject({
    description: "Slow write",
    mtaStsTimeout: 300_000,
  });
});

test("while a confirmation asks, the button does not say Saving…, and the create form is locked until it is answered", async ({
  page,
}) => {
  await signIn(page, server);
  await page.getByRole("link", { name: "Create strategy" }).click();
  const name = server.uniqueName("ask");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("STARTTLS").selectOption("disable");
  await page.getByRole("button", { name: "Create", exact: true }).click();

  const dialog = page.getByRole("dialog", { name: "Create with warnings?" });
  await expect(dialog).toBeVisible();
  await expect(page.getByRole("button", { name: "Create", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Creating…" })).toHaveCount(0);
  await expect(mtaStsTimeout(page)).toBeDisabled();

  // Back to the form: everything is editable again, nothing was sent.
  await dialog.getByRole("button", { name: "Go back" }).click();
  await expect(mtaStsTimeout(page)).toBeEditable();
  await mtaStsTimeout(page).fill("7m");

  const slow = await holdNextRequest(page, isStrategyWrite);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await dialog.getByRole("button", { name: "Create anyway" }).click();
  await slow.held;
  await expect(page.getByRole("button", { name: "Creating…" })).toBeVisible();
  await expect(mtaStsTimeout(page)).toBeDisabled();
  await expect(page.getByLabel("Name")).toBeDisabled();
  slow.release();
  await expect(page.getByRole("status").filter({ hasText: `Created “${name}”.` })).toBeVisible();
});

test("while the sign-in dialog over a save signs in, its fields are locked too", async ({
  page,
}) => {
  const name = server.uniqueName("reauth");
  const id = await createThroughApi(server, { name });
  await signIn(page, server, server.admin, `${LIST_PATH}/${id}`);
  await page.getByLabel("Description", { exact: true }).fill("After a new sign-in");
  // The next request is refused as if the password had been changed.
  let refused = false;
  await page.route("**/jmap/", async (route) => {
    if (refused) return route.fallback();
    refused = true;
    await route.fulfill({
      status: 401,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "about:blank", status: 401, title: "Unauthorized" }),
    });
  });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Sign in again" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Password").fill(server.admin.password);

  let releaseAccount: () => void = () => undefined;
  const accountHeld = new Promise<void>((resolve) => {
    releaseAccount = resolve;
  });
  await page.route("**/api/account", async (route) => {
    await accountHeld;
    await route.continue();
  });
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(dialog.getByRole("button", { name: "Signing in…" })).toBeVisible();
  await expect(dialog.getByLabel("Password")).toBeDisabled();
  await expect(dialog.getByLabel("Username")).toBeDisabled();
  releaseAccount();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${name}”.` })).toBeVisible();
  expect(await readThroughApi(server, id)).toMatchObject({ description: "After a new sign-in" });
});
