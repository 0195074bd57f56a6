import type { Page } from "@playwright/test";
import { createThroughApi } from "./fixtures/api";
import { deliveryUses, expect, rowOf, searchPath, signIn, test } from "./fixtures/page";
import { seedStrategies, serverForThisFile } from "./fixtures/server";

// What a newcomer hit in the first hour, and small things of the same root: mostly the
// details of README, "The list", and a few of "Safety".

const server = serverForThisFile();

const LONG = "A very long description of who this strategy is for, ".repeat(6);

/** A strategy of this file's own, signed in on the list searched for it. */
async function signInToOwn(page: Page, label: string) {
  const name = server.uniqueName(label);
  await createThroughApi(server, { name });
  await signIn(page, server, server.admin, searchPath(name));
  await expect(rowOf(page, name)).toBeVisible();
  return name;
}

test("ticking one row after another never loses a click: no row changes height when focused", async ({
  page,
}) => {
  const prefix = server.uniqueName("tick");
  const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`, `${prefix}-d`];
  for (const name of names) await createThroughApi(server, { name, description: LONG });
  await signIn(page, server, server.admin, searchPath(prefix));
  const rows = names.map((name) => rowOf(page, name));
  const heights = () =>
    Promise.all(rows.map((row) => row.evaluate((el) => (el as HTMLElement).offsetHeight)));
  const before = await heights();

  for (const row of rows) await row.getByRole("checkbox").check();
  for (const row of rows) await expect(row.getByRole("checkbox")).toBeChecked();
  await expect(page.getByRole("button", { name: "Delete selected (4)" })).toBeVisible();
  expect(await heights()).toEqual(before);

  // By keyboard the whole text shows beside the row, out of the flow.
  await rows[0]?.getByRole("link", { name: names[0], exact: true }).focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Shift+Tab");
  expect(await heights()).toEqual(before);
  const popover = await rows[0]
    ?.getByRole("rowheader")
    .evaluate((cell) => getComputedStyle(cell, "::after").content);
  expect(popover).toContain("A very long description");
});

test("nothing to act on shows no bulk action: no Delete selected (0), no skip link", async ({
  page,
}) => {
  const name = await signInToOwn(page, "nothing-selected");
  await expect(page.getByRole("button", { name: /Delete selected/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Skip to pagination" })).toHaveCount(0);
  await rowOf(page, name).getByRole("checkbox").check();
  await expect(page.getByRole("button", { name: "Delete selected (1)" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Skip to pagination" })).toHaveCount(1);
});

test("pagination controls stay links when there is nowhere to go, marked disabled", async ({
  page,
}) => {
  // One page: the list searched for one strategy.
  await signInToOwn(page, "one-page");
  for (const name of ["First page", "Previous page", "Next page", "Last page"]) {
    const link = page.getByRole("link", { name });
    await expect(link).toHaveAttribute("aria-disabled", "true");
    await expect(link).toBeDisabled();
    await expect(page.getByRole("button", { name })).toHaveCount(0);
  }
});

test("the policy badges line up from row to row, whatever the values", async ({ page }) => {
  const prefix = server.uniqueName("badges");
  await createThroughApi(server, { name: `${prefix}-1`, startTls: "require", dane: "disable" });
  await createThroughApi(server, { name: `${prefix}-2`, mtaSts: "require" });
  await signIn(page, server, server.admin, searchPath(prefix));
  const lefts = (name: string) =>
    rowOf(page, name)
      .locator(".cell-security dd")
      .evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().left)));
  expect(await lefts(`${prefix}-1`)).toEqual(await lefts(`${prefix}-2`));
});

test("a search is decoded once and ignores spaces at either end", async ({ page }) => {
  const prefix = server.uniqueName("q");
  const names = [`${prefix}-x%50`, `${prefix}-a+b`, `${prefix}-café`];
  await seedStrategies(server, names);
  await signIn(page, server);
  const search = page.getByLabel("Search by name");
  for (const name of names) {
    await search.fill(` ${name}  `);
    await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
    await expect(page.getByText("Showing 1–1 of 1 strategy")).toBeVisible();
    await page.reload();
    await expect(search).toHaveValue(name);
    await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  }
  // Back from a strategy to the list searched for it.
  const first = names[0] ?? "";
  await search.fill(first);
  await page.getByRole("link", { name: first, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(first);
  await page.goBack();
  await expect(search).toHaveValue(first);
  await expect(page.getByRole("link", { name: first, exact: true })).toBeVisible();
});

test("a sign-in link only ever leads to this page's own paths", async ({ page }) => {
  for (const next of [
    "/\\evil.example/",
    "/\t/evil.example/",
    "//evil.example/",
    "https://evil.example/",
  ]) {
    await page.goto(server.url(`/sign-in?next=${encodeURIComponent(next)}`));
    await page.getByLabel("Username").fill(server.admin.username);
    await page.getByLabel("Password").fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "TLS Strategies" })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(server.url()).origin);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "TLS Strategies" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
  }
});

test("deleting a strategy delivery uses asks for its name; one strategy reads in the singular", async ({
  page,
}) => {
  const used = server.uniqueName("used");
  await createThroughApi(server, { name: used });
  await deliveryUses(page, used);
  await signIn(page, server, server.admin, searchPath(used));
  await rowOf(page, used).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Delete selected (1)" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete “${used}”?` });
  await expect(dialog).toContainText("This TLS strategy will be deleted.");
  await expect(dialog).toContainText("delivery that would use it silently falls back");
  const confirm = dialog.getByRole("button", { name: "Delete", exact: true });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type “${used}” to confirm`).fill(used.slice(0, -1));
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // The same on the edit page.
  await page.getByRole("link", { name: used, exact: true }).click();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const editDialog = page.getByRole("dialog", { name: `Delete “${used}”?` });
  const editConfirm = editDialog.getByRole("button", { name: "Delete", exact: true });
  await expect(editConfirm).toBeDisabled();
  await editDialog.getByLabel(`Type “${used}” to confirm`).fill(used);
  await expect(editConfirm).toBeEnabled();
  await editDialog.getByRole("button", { name: "Cancel" }).click();

  // A strategy nobody uses is one ordinary click.
  const name = server.uniqueName("unused");
  await createThroughApi(server, { name });
  await page.goto(server.url(searchPath(name)));
  await rowOf(page, name).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Delete selected (1)" }).click();
  await expect(page.getByRole("dialog").getByRole("textbox")).toHaveCount(0);
  await expect(
    page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }),
  ).toBeEnabled();
});

test("many changes not applied are summed up, the list one click away", async ({ page }) => {
  const prefix = server.uniqueName("many");
  const names = Array.from({ length: 12 }, (_, i) => `${prefix}-${String(i).padStart(2, "0")}`);
  await seedStrategies(server, names);
  await signIn(page, server, server.admin, searchPath(prefix));
  await page.getByRole("checkbox", { name: "Select all strategies on this page" }).check();
  await page.getByRole("button", { name: "Delete selected (12)" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByText("Deleted 12 strategies.")).toBeVisible();

  const notice = page.getByRole("region", { name: "Saved, not applied yet" });
  await expect(notice.getByText("12 strategies deleted")).toBeVisible();
  const all = notice.getByText(`${names[0]} deleted`);
  await expect(all).toBeHidden();
  await notice.getByText("show all 12").click();
  await expect(all).toBeVisible();
});

// Applying reloads the server's settings: only on a server of its own.
test("an outcome banner stays with its view", { tag: "@embedded" }, async ({ page }) => {
  const name = await signInToOwn(page, "applied");
  await rowOf(page, name).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Delete selected (1)" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
  const notice = page.getByRole("region", { name: "Saved, not applied yet" });
  await notice.getByRole("button", { name: "Apply now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Applied." })).toBeVisible();
  await page.getByRole("link", { name: "Create strategy" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Create strategy" })).toBeVisible();
  await expect(page.getByText("Applied.")).toHaveCount(0);
});

test("every button and link's name contains its visible text (WCAG 2.5.3, label in name)", async ({
  page,
}) => {
  const name = await signInToOwn(page, "labels");
  await rowOf(page, name).getByRole("checkbox").check();
  await expectLabelInName(page, "list with a selection");
  await page.getByRole("link", { name, exact: true }).click();
  await page.getByLabel("STARTTLS").selectOption("require");
  await page.getByLabel("TLS handshake timeout", { exact: true }).fill("1m");
  await page.getByLabel("Allow invalid certificates").check();
  await expect(page.getByRole("button", { name: "Reset STARTTLS to default" })).toBeVisible();
  await expectLabelInName(page, "edit form with changed values");
});

/** Each visible button and link: its visible text (spaces folded) is part of its name. */
async function expectLabelInName(page: Page, what: string) {
  const wrong = await page.evaluate(() => {
    const fold = (text: string) => text.replace(/\s+/g, " ").trim().toLowerCase();
    return [...document.querySelectorAll<HTMLElement>("a, button")].flatMap((element) => {
      if (!element.checkVisibility()) return [];
      const visible = fold(element.innerText);
      const labelled = element.getAttribute("aria-label");
      const name = fold(labelled ?? element.textContent ?? "");
      return visible && !name.includes(visible) ? [`“${visible}” is named “${name}”`] : [];
    });
  });
  expect(wrong, what).toEqual([]);
}

test("a session that changed on the server reads the permissions again", async ({ page }) => {
  await signIn(page, server);
  await expect(page.getByRole("link", { name: "Create strategy" })).toBeVisible();
  // From now on the server says the session changed, and this account may only look.
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
    const body = await response.json();
    await route.fulfill({ response, json: { ...body, sessionState: "changed-elsewhere" } });
  });
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByRole("link", { name: "Create strategy" })).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
});
