import type { Page } from "@playwright/test";
import { expect, LIST_PATH, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

const server = serverForThisFile();

const listHeading = (page: Page) => page.getByRole("heading", { name: "TLS Strategies", level: 1 });
const signInHeading = (page: Page) => page.getByRole("heading", { name: "Sign in to Stalwart" });

/** Every address the page was at, same-document navigations included. */
function visitedUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) urls.push(frame.url());
  });
  return urls;
}

/** What a script of the page could read without asking the server: storage and cookies. */
const readableStorage = (page: Page) =>
  page.evaluate(() => ({
    localStorage: JSON.stringify(Object.entries(localStorage)),
    sessionStorage: JSON.stringify(Object.entries(sessionStorage)),
    cookie: document.cookie,
  }));

test("a second tab opens signed in, and the password is stored nowhere shared", async ({
  page,
  context,
}) => {
  await signIn(page, server);
  const second = await context.newPage();
  const visited = visitedUrls(second);
  await second.goto(server.url(LIST_PATH));
  await expect(listHeading(second)).toBeVisible();
  await expect(second).toHaveURL(server.url(LIST_PATH));
  expect(visited.filter((url) => url.includes("/sign-in"))).toEqual([]);

  for (const tab of [page, second]) {
    const storage = await readableStorage(tab);
    expect(storage.localStorage).not.toContain(server.admin.password);
    expect(storage.cookie).toBe("");
  }
});

test("signing out in one tab signs out the others; signing in again signs them in", async ({
  page,
  context,
}) => {
  await signIn(page, server);
  const second = await context.newPage();
  await second.goto(server.url(LIST_PATH));
  await expect(listHeading(second)).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(signInHeading(page)).toBeVisible();
  await expect(signInHeading(second)).toBeVisible();
  expect((await readableStorage(second)).sessionStorage).not.toContain(server.admin.password);

  // Back on the sign-in page, the other tab follows a sign-in, to where it was.
  await page.getByLabel("Username", { exact: true }).fill(server.admin.username);
  await page.getByLabel("Password", { exact: true }).fill(server.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(listHeading(page)).toBeVisible();
  await expect(listHeading(second)).toBeVisible();
  await expect(second).toHaveURL(server.url(LIST_PATH));
});

test("with no other tab open, the sign-in page shows at once", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The page's clock moves only when told: the sign-in page must show before 1 s of it has
  // passed, the time a tab waits for an answer when another tab is signed in.
  await page.clock.install();
  await page.clock.pauseAt(new Date(Date.now() + 60_000));
  await page.goto(server.url(LIST_PATH));
  let pageTimeMs = 0;
  await expect(async () => {
    if (pageTimeMs < 900) {
      await page.clock.runFor(100);
      pageTimeMs += 100;
    }
    await expect(signInHeading(page)).toBeVisible({ timeout: 200 });
  }).toPass({ timeout: 10_000 });
  await context.close();
});

test("a tab with unsaved work keeps it when another tab signs out, and signs in over it", async ({
  page,
  context,
}) => {
  await signIn(page, server);
  const editor = await context.newPage();
  await editor.goto(server.url(`${LIST_PATH}/new`));
  const name = editor.getByLabel("Name", { exact: true });
  const typed = server.uniqueName("typed-before-sign-out");
  await name.fill(typed);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(signInHeading(page)).toBeVisible();

  const dialog = editor.getByRole("dialog", { name: "Sign in again" });
  await expect(dialog).toBeVisible();
  await expect(editor).toHaveURL(server.url(`${LIST_PATH}/new`));
  await expect(name).toHaveValue(typed);
  // The secret is gone from this tab too; only the username is offered again.
  expect((await readableStorage(editor)).sessionStorage).not.toContain(server.admin.password);
  await expect(dialog.getByLabel("Username", { exact: true })).toHaveValue(server.admin.username);

  await dialog.getByLabel("Password", { exact: true }).fill(server.admin.password);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(dialog).toBeHidden();
  await expect(name).toHaveValue(typed);
  // The sign-in over the page signs in the tab that was on the sign-in page.
  await expect(listHeading(page)).toBeVisible();
});
