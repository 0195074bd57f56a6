import type { BrowserContext, Page } from "@playwright/test";
import { createThroughApi } from "./fixtures/api";
import { expect, searchPath, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

// A tab reloaded from history (Playwright's default: no back/forward cache) after a sign-out
// in another tab uses none of the credentials it kept: not in the inline early requests of
// the HTML, not in the app (README, "Tabs in history hear it too"). history.spec.ts has the
// same with the cache on.

const server = serverForThisFile();

async function signInAndOutInAnotherTab(context: BrowserContext) {
  const other = await context.newPage();
  await signIn(other, server);
  await other.getByRole("button", { name: "Sign out" }).click();
  await expect(other.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
  await other.close();
}

const goElsewhere = (page: Page) => page.goto(server.url("/robots.txt"));

test("with the cache off, a tab reloaded from history sends nothing with credentials signed out elsewhere", async ({
  page,
  context,
}) => {
  const name = server.uniqueName("listed");
  await createThroughApi(server, { name });
  const list = searchPath(name);
  await signIn(page, server, server.admin, list);
  // A reload sends its list requests early from the HTML (README, "Speed"); now it must not.
  await page.reload();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await goElsewhere(page);
  await signInAndOutInAnotherTab(context);

  const withCredentials: string[] = [];
  page.on("request", (request) => {
    if (request.headers().authorization) withCredentials.push(request.url());
  });
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
  expect(withCredentials).toEqual([]);
  expect(new URL(page.url()).pathname).toBe("/sign-in");
  expect(new URL(page.url()).searchParams.get("next")).toBe(list);
});
