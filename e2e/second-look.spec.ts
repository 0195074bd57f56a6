import type { Page } from "@playwright/test";
import { createThroughApi, readThroughApi } from "./fixtures/api";
import { holdNextAnswer, holdNextRequest, isStrategyWrite } from "./fixtures/held-answers";
import {
  expect,
  isStoredNamesRead,
  LIST_PATH,
  refetchInBackground,
  searchPath,
  signIn,
  test,
} from "./fixtures/page";
import { seedStrategies, serverForThisFile } from "./fixtures/server";

// A second look at the kinds of fault the other stories cover (README, "Edits that never go
// wrong quietly"): more cases of each that a fresh reviewer found, such as an answer landing
// after the admin moved on, or a change of user or permissions under a page with work on it.

const server = serverForThisFile({
  users: [
    {
      name: "other-admin",
      password: "other-admin-password",
      permissions: ["all"],
    },
  ],
});

const description = (page: Page) => page.getByLabel("Description", { exact: true });

test("a save answered after the admin moved on leaves them where they are, with their new work", async ({
  page,
}) => {
  const label = server.uniqueName("moved");
  const [first, second] = [`${label}-a`, `${label}-b`];
  const ids = await seedStrategies(server, [first, second]);
  await signIn(page, server, server.admin, searchPath(label));
  await page.getByRole("link", { name: first, exact: true }).click();
  await description(page).fill("Saved while away");

  const slow = await holdNextRequest(page, isStrategyWrite);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await slow.held;
  // Away while it is on its way: the guard asks, and the admin leaves for another strategy.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link").click();
  await page
    .getByRole("dialog", { name: "Leave without saving?" })
    .getByRole("button", { name: "Leave" })
    .click();
  await page.getByRole("link", { name: second, exact: true }).click();
  await description(page).fill("Typed on the next one");

  slow.release();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${first}”.` })).toBeVisible();
  // Still here, with what was typed, still guarded.
  await expect(page.getByRole("heading", { level: 1 })).toContainText(second);
  await expect(description(page)).toHaveValue("Typed on the next one");
  expect(await readThroughApi(server, ids[first] ?? "")).toMatchObject({
    description: "Saved while away",
  });
});

test("Delete is locked while a save is on its way", async ({ page }) => {
  const name = server.uniqueName("locked");
  const id = await createThroughApi(server, { name });
  await signIn(page, server, server.admin, `${LIST_PATH}/${id}`);
  await description(page).fill("Locked");
  const slow = await holdNextRequest(page, isStrategyWrite);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await slow.held;
  await expect(page.getByRole("button", { name: "Delete", exact: true })).toBeDisabled();
  slow.release();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${name}”.` })).toBeVisible();
});

test("an answer to “Select all that match” never undoes a Clear selection made meanwhile", async ({
  page,
}) => {
  const label = server.uniqueName("select");
  const names = Array.from({ length: 12 }, (_, i) => `${label}-${String(i).padStart(2, "0")}`);
  await seedStrategies(server, names);
  await signIn(page, server, server.admin, `${searchPath(label)}&size=10`);
  await page.getByRole("checkbox", { name: "Select all strategies on this page" }).check();
  const slow = await holdNextAnswer(page, (body) => body.includes('"properties":["id","name"]'));
  await page.getByRole("button", { name: "Select all 12 strategies that match" }).click();
  await slow.held;
  await page.getByRole("button", { name: "Clear selection" }).click();
  slow.release();
  await page.waitForTimeout(300);
  await expect(page.getByRole("button", { name: /Delete selected/ })).toHaveCount(0);
  await expect(page.getByRole("checkbox", { checked: true })).toHaveCount(0);
});

test("signing in again over a page as another user is refused, and the page keeps its work", async ({
  page,
}) => {
  const name = server.uniqueName("whose");
  const id = await createThroughApi(server, { name });
  await signIn(page, server, server.admin, `${LIST_PATH}/${id}`);
  await description(page).fill("Mine");
  let refused = false;
  await page.route("**/jmap/", async (route) => {
    // The save's request is refused, not the background read of every name (it may come first).
    if (refused || isStoredNamesRead(route.request().postData() ?? "")) return route.fallback();
    refused = true;
    await route.fulfill({ status: 401, contentType: "application/problem+json", body: "{}" });
  });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Sign in again" });
  await dialog.getByLabel("Username").fill("other-admin");
  await dialog.getByLabel("Password").fill("other-admin-password");
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(dialog.getByText(/This page holds the work of “admin”/)).toBeVisible();
  await expect(description(page)).toHaveValue("Mine");

  await dialog.getByLabel("Username").fill(server.admin.username);
  await dialog.getByLabel("Password").fill(server.admin.password);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${name}”.` })).toBeVisible();
});

test("news of what one user did is gone once they sign out", async ({ page }) => {
  const name = server.uniqueName("news");
  const id = await createThroughApi(server, { name });
  await signIn(page, server, server.admin, `${LIST_PATH}/${id}`);
  await description(page).fill("Changed");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${name}”.` })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, server);
  await expect(page.getByText(`Saved “${name}”.`)).toHaveCount(0);
});

test("the edit form stays, with its work, when Update is taken away under it", async ({ page }) => {
  const name = server.uniqueName("revoked");
  const id = await createThroughApi(server, { name });
  await page.clock.install();
  await signIn(page, server, server.admin, `${LIST_PATH}/${id}`);
  await description(page).fill("Typed before the revocation");
  // The server now says the session changed, and this account may only look.
  await page.route("**/api/account", (route) =>
    route.fulfill({
      contentType: "application/json",
      body: JSON.stringify({
        permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery"],
        edition: "oss",
        locale: "en",
      }),
    }),
  );
  await page.route("**/jmap/", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), sessionState: "new" } });
  });
  // A background read (the admin comes back to the tab) carries the news.
  await refetchInBackground(page);
  await expect(page.getByText(/may no longer change TLS strategies/)).toBeVisible();
  await expect(description(page)).toHaveValue("Typed before the revocation");
  await expect(description(page)).toBeEditable();
});
