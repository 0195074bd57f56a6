import type { BrowserContext, Page } from "@playwright/test";
import { createThroughApi } from "./fixtures/api";
import { withBackForwardCache } from "./fixtures/launch-options";
import { expect, rowOf, searchPath, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

// A tab restored from history — from the back/forward cache, or reloaded — learns what
// happened while it was away: a sign-out in another tab, another theme, saved changes, newer
// data (README, "Tabs in history hear it too"). Chromium's back/forward cache is on here, as in
// every real browser.

const server = serverForThisFile();

/** Counts, in the page, each `pageshow` that restored it from the back/forward cache. */
async function watchRestores(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { restores: number };
    w.restores = 0;
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) w.restores += 1;
    });
  });
}
const restores = (page: Page) =>
  page.evaluate(() => (window as unknown as { restores: number }).restores);

/** Leaves the page for another address of the same server (a file, not the app). */
async function goElsewhere(page: Page) {
  await page.goto(server.url("/robots.txt"));
}

/** A strategy of this file's own, and the list searched for it. */
async function ownStrategy(label: string) {
  const name = server.uniqueName(label);
  await createThroughApi(server, { name });
  return { name, list: searchPath(name) };
}

/** A second tab of the same browser that signs in on the sign-in page, then signs out. */
async function signInAndOutInAnotherTab(context: BrowserContext) {
  const other = await context.newPage();
  await signIn(other, server);
  await other.getByRole("button", { name: "Sign out" }).click();
  await expect(other.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
  await other.close();
}

test.use({ launchOptions: withBackForwardCache });

test.describe("with the back/forward cache on", () => {
  test("a tab in history learns of a sign-out made while it was away, and it holds across a reload", async ({
    page,
    context,
  }) => {
    const { name, list } = await ownStrategy("signed-out");
    await watchRestores(page);
    await signIn(page, server, server.admin, list);
    await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
    await goElsewhere(page);
    await signInAndOutInAnotherTab(context);

    await page.goBack({ waitUntil: "commit" });
    await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
    expect(await restores(page)).toBe(1);
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);

    await page.reload();
    await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  });

  test("a tab in history shows the theme chosen on another page meanwhile, in the page and its select", async ({
    page,
    context,
  }) => {
    await watchRestores(page);
    await signIn(page, server);
    const theme = page.getByRole("combobox", { name: "Theme" });
    await expect(theme).toHaveValue("system");
    await goElsewhere(page);

    const other = await context.newPage();
    await other.goto(server.url("/sign-in"));
    await other.getByRole("combobox", { name: "Theme" }).selectOption("dark");
    await expect(other.locator("html")).toHaveAttribute("data-theme", "dark");
    await other.close();

    await page.goBack({ waitUntil: "commit" });
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expect(theme).toHaveValue("dark");
    expect(await restores(page)).toBe(1);
  });

  // Applying reloads the server's settings: only on a server of its own.
  test("a tab in history drops from its not-applied notice what another tab applied meanwhile", {
    tag: "@embedded",
  }, async ({ page, context }) => {
    const { name, list } = await ownStrategy("applied-there");
    await watchRestores(page);
    await signIn(page, server, server.admin, list);
    await page.getByRole("link", { name, exact: true }).click();
    await page.getByLabel("Description", { exact: true }).fill("Saved here, applied there");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Saved, not applied yet" })).toBeVisible();
    await goElsewhere(page);

    const other = await context.newPage();
    await signIn(other, server);
    await other.getByRole("button", { name: "Apply now" }).click();
    await expect(other.getByRole("heading", { name: "Saved, not applied yet" })).toHaveCount(0);
    await other.close();

    await page.goBack({ waitUntil: "commit" });
    await expect(page.getByRole("heading", { name: "Saved, not applied yet" })).toHaveCount(0);
    expect(await restores(page)).toBe(1);
  });

  test("a tab in history reads again what it shows once that is older than 30 s", async ({
    page,
    context,
  }) => {
    const { name, list } = await ownStrategy("edited-there");
    await watchRestores(page);
    await page.clock.install();
    await signIn(page, server, server.admin, list);
    await expect(rowOf(page, name)).toBeVisible();
    await page.clock.fastForward(31_000);
    await goElsewhere(page);

    const other = await context.newPage();
    await signIn(other, server, server.admin, list);
    await other.getByRole("link", { name, exact: true }).click();
    await other.getByLabel("Description", { exact: true }).fill("Edited while away");
    await other.getByRole("button", { name: "Save", exact: true }).click();
    await expect(other.getByRole("status").filter({ hasText: `Saved “${name}”.` })).toBeVisible();
    await other.close();

    await page.goBack({ waitUntil: "commit" });
    expect(await restores(page)).toBe(1);
    await expect(rowOf(page, name)).toContainText("Edited while away");
  });
});
