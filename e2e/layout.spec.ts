import { copyFile, mkdir } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { createThroughApi, updateThroughApi } from "./fixtures/api";
import {
  expect,
  expectNoAxeViolations,
  LIST_PATH,
  rowOf,
  searchPath,
  signIn,
  test,
} from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

// The page fits 1280, 1024 and 360 px wide, light and dark (README, "Fits the screen" and
// "Theme"), with a 255-character name and a 2,000-character description among the rows.
// Every view and every dialog is photographed into test-results/screenshots/ (git-ignored);
// with DOCS_SCREENSHOTS=1 the list at 1280 px is also copied to docs/ for the README.

const server = serverForThisFile();

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
  { width: 360, height: 740 },
] as const;
const SHOTS = "test-results/screenshots";

const LONG_DESCRIPTION = "A description that goes on and on. ".repeat(58).slice(0, 2_000);

// This file's strategies, named with its prefix (known once its first hook has run); the
// list is searched for the prefix, so they are the rows whatever else the server holds.
/** 255 characters: the prefix, then "long-nnn…". */
let LONG_NAME = "";
let LEGACY_NAME = "";
let ownList = "";
let longId = "";
test.beforeAll(async () => {
  LONG_NAME = `${server.prefix}long-`.padEnd(255, "n");
  LEGACY_NAME = `${server.prefix}legacy-partners`;
  ownList = searchPath(server.prefix);
  expect(LONG_NAME).toHaveLength(255);
  expect(LONG_DESCRIPTION).toHaveLength(2_000);
  longId = await createThroughApi(server, {
    name: LONG_NAME,
    description: LONG_DESCRIPTION,
    startTls: "require",
    dane: "require",
    mtaSts: "require",
    tlsTimeout: 5_400_000,
  });
  await createThroughApi(server, {
    name: LEGACY_NAME,
    description: "Old partners with self-signed certificates",
    startTls: "optional",
    dane: "disable",
    mtaSts: "disable",
    allowInvalidCerts: true,
    tlsTimeout: 60_000,
  });
});

/**
 * Fails when the page scrolls sideways, or when a control or a cell of the view lies even in
 * part outside the viewport (the table's cells included: nothing hides in a scroll box).
 */
async function expectEverythingInside(page: Page, what: string) {
  const outside = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width)
      found.push(`the page is ${document.documentElement.scrollWidth}px wide in ${width}px`);
    const selector = "main a, main button, main input, main select, main td, main th, header *";
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      const box = element.getBoundingClientRect();
      // Visually hidden text (1 px, clipped) and hidden elements take no room.
      if (box.width <= 1 || box.height <= 1) continue;
      if (box.left < -0.5 || box.right > width + 0.5) {
        const label = (element.textContent ?? "").trim().slice(0, 40);
        found.push(
          `${element.tagName.toLowerCase()} “${label}” spans ${Math.round(box.left)}–${Math.round(box.right)}`,
        );
      }
    }
    return found;
  });
  expect(outside, what).toEqual([]);
}

/** Confirms "Save with warnings?" until the dialog called `name` shows. */
async function confirmUntil(page: Page, name: string) {
  const wanted = page.getByRole("dialog", { name });
  for (let round = 0; round < 3; round += 1) {
    await expect(page.getByRole("dialog")).toBeVisible();
    if (await wanted.isVisible()) return;
    await page.getByRole("dialog").getByRole("button", { name: "Save anyway" }).click();
  }
  await expect(wanted).toBeVisible();
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

for (const viewport of VIEWPORTS) {
  for (const colorScheme of ["light", "dark"] as const) {
    const size = `${viewport.width}x${viewport.height}`;
    test(`at ${size} in the ${colorScheme} theme every view and dialog fits, and is photographed`, async ({
      page,
    }) => {
      test.setTimeout(90_000);
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme });
      const shot = (view: string) => shoot(page, `${view}-${size}-${colorScheme}`);

      await page.goto(server.url(LIST_PATH));
      await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
      await expectEverythingInside(page, "sign-in");
      await shot("sign-in");

      await signIn(page, server, server.admin, ownList);
      const long = page.getByRole("row").filter({ hasText: "A description that goes on" });
      await expect(long).toBeVisible();
      await expectEverythingInside(page, "list");
      // The long name and description are cut, not wrapped, and whole on hover (title).
      const name = long.getByRole("link", { name: LONG_NAME });
      await expect(name).toHaveAttribute("title", LONG_NAME);
      expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      await shot("list");
      if (process.env.DOCS_SCREENSHOTS && viewport.width === 1280) {
        await mkdir("docs", { recursive: true });
        await copyFile(`${SHOTS}/list-${size}-${colorScheme}.png`, `docs/list-${colorScheme}.png`);
      }

      // The list's delete dialog, with two names in it.
      await long.getByRole("checkbox").check();
      await rowOf(page, LEGACY_NAME).getByRole("checkbox").check();
      await page.getByRole("button", { name: "Delete selected (2)" }).click();
      await expect(page.getByRole("dialog", { name: "Delete 2 strategies?" })).toBeVisible();
      await expectEverythingInside(page, "list delete dialog");
      await shot("dialog-list-delete");
      await page.getByRole("button", { name: "Cancel" }).click();
      await page.getByRole("button", { name: "Clear selection" }).click();

      // Create, then its review dialog.
      await page.getByRole("link", { name: "Create strategy" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Create strategy" })).toBeVisible();
      await expectEverythingInside(page, "create");
      await shot("create");
      await page
        .getByLabel("Name")
        .fill(server.uniqueName(`weak-${colorScheme}-${viewport.width}`));
      await page.getByLabel("STARTTLS").selectOption("disable");
      await page.getByRole("button", { name: "Create", exact: true }).click();
      await expect(page.getByRole("dialog", { name: "Create with warnings?" })).toBeVisible();
      await expectEverythingInside(page, "create review dialog");
      await shot("dialog-create-review");
      await page.getByRole("button", { name: "Go back" }).click();

      // Edit the long one: the heading wraps; then its delete dialog.
      await page.goto(server.url(`${LIST_PATH}/${longId}`));
      const heading = page.getByRole("heading", { level: 1 });
      await expect(heading).toContainText(LONG_NAME);
      await expectEverythingInside(page, "edit");
      await shot("edit");
      await page.getByRole("button", { name: "Delete" }).click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await expectEverythingInside(page, "edit delete dialog");
      await shot("dialog-edit-delete");
      await page.getByRole("button", { name: "Cancel" }).click();

      // Weakening a saved strategy asks first.
      await page.getByLabel("DANE").selectOption("disable");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await expectEverythingInside(page, "edit review dialog");
      await shot("dialog-edit-review");
      await page.getByRole("button", { name: "Go back" }).click();

      // Someone else changed the same field meanwhile: choose which value stays.
      await updateThroughApi(server, { [longId]: { dane: "optional" } });
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await confirmUntil(page, "Someone else changed this strategy");
      await expectEverythingInside(page, "clash dialog");
      await shot("dialog-clash");
      await page.getByRole("button", { name: "Cancel" }).click();
      await updateThroughApi(server, { [longId]: { dane: "require" } });

      // Credentials that stop working mid-edit: sign in again over the form.
      await page.route("**/jmap/", (route) =>
        route.fulfill({ status: 401, body: "", headers: { "WWW-Authenticate": "Basic" } }),
      );
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await confirmUntil(page, "Sign in again");
      await page.unroute("**/jmap/");
      await expectEverythingInside(page, "sign-in dialog");
      await shot("dialog-sign-in");
      if (viewport.width === 1280) await expectNoAxeViolations(page);
    });
  }
}

test("at 360 px bulk actions show only with a selection, and pagination stays on one line", async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, server, server.admin, ownList);
  const bulkDelete = page.getByRole("button", { name: /^Delete selected/ });
  await expect(bulkDelete).toBeHidden();
  await rowOf(page, LEGACY_NAME).getByRole("checkbox").check();
  await expect(page.getByRole("button", { name: "Delete selected (1)" })).toBeVisible();

  const pagination = page.getByRole("navigation", { name: "Pagination" });
  const boxes = await pagination
    .locator(":scope > *")
    .evaluateAll((items) => items.map((item) => item.getBoundingClientRect().toJSON()));
  expect(boxes.length).toBe(5);
  // One line: every item overlaps every other vertically.
  const lowestTop = Math.max(...boxes.map((box) => box.top));
  const highestBottom = Math.min(...boxes.map((box) => box.bottom));
  expect(lowestTop).toBeLessThan(highestBottom);
});

test("each view has one level-1 heading; invalid fields are outlined, read-only ones look it", async ({
  page,
}) => {
  await signIn(page, server);
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);

  await page.getByRole("link", { name: "Create strategy" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create strategy");
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  const name = page.getByLabel("Name", { exact: true });
  const description = page.getByLabel("Description", { exact: true });
  const border = (field: typeof name) =>
    field.evaluate((el) => {
      const style = getComputedStyle(el);
      return { color: style.borderTopColor, shadow: style.boxShadow, style: style.borderTopStyle };
    });
  const valid = await border(description);
  await name.fill("not a name");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  // Not only a red message: the field itself is outlined in another colour.
  const invalid = await border(name);
  expect(invalid.color).not.toBe(valid.color);
  expect(invalid.shadow).not.toBe("none");

  await page.goto(server.url(ownList));
  await page.getByRole("link", { name: LEGACY_NAME, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  // The Name cannot change on edit, and looks it: a dashed, sunken box.
  await expect(name).toHaveAttribute("readonly", "");
  expect((await border(name)).style).toBe("dashed");
  expect((await border(description)).style).toBe("solid");
});

// Absurd values fit at every width (README, "Fits the screen"). A 10,000-character name
// without a space (possible through the API) in the Duplicate heading, a 255-character name
// in the "already exists" hint, and timeouts of 2^53 − 1 ms and 100,000 days in the list and
// the form.
const ABSURD = { tlsTimeout: 2 ** 53 - 1, mtaStsTimeout: 100_000 * 86_400_000 };

/** Fails when some text of a row's cell reaches out of that cell (into the next column). */
async function expectCellsHoldTheirText(page: Page, what: string) {
  const spilled = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("main td dd, main td dt, main th a")].flatMap(
      (element) => {
        const cell = element.closest("td, th")?.getBoundingClientRect();
        const box = element.getBoundingClientRect();
        if (!cell || box.width <= 1) return [];
        return box.right > cell.right + 0.5 || box.left < cell.left - 0.5
          ? [`“${(element.textContent ?? "").slice(0, 30)}” spills out of its cell`]
          : [];
      },
    ),
  );
  expect(spilled, what).toEqual([]);
}

/** Fails when any text block of the view is wider than the viewport. */
async function expectTextInside(page: Page, what: string) {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [
      ...document.querySelectorAll<HTMLElement>("main h1, main h2, main p, main li, main label"),
    ]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5)
      .map((element) => `${element.tagName} “${(element.textContent ?? "").slice(0, 30)}”`);
  });
  expect(wide, what).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), what).toBeLessThanOrEqual(
    await page.evaluate(() => document.documentElement.clientWidth),
  );
}

test.describe("absurd names and durations fit at every width", () => {
  /** 10,000 characters: the prefix, then "huge-xxx…". */
  let HUGE_NAME = "";
  let ABSURD_NAME = "";
  let hugeId = "";
  let absurdId = "";
  test.beforeAll(async () => {
    HUGE_NAME = `${server.prefix}huge-`.padEnd(10_000, "x");
    ABSURD_NAME = `${server.prefix}absurd-timeouts`;
    hugeId = await createThroughApi(server, { name: HUGE_NAME });
    absurdId = await createThroughApi(server, { name: ABSURD_NAME, ...ABSURD });
    await createThroughApi(server, {
      name: `${server.prefix}crowded-timeouts`,
      tlsTimeout: 90_500,
    });
  });

  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}x${viewport.height}`;
    test(`at ${size}`, async ({ page }) => {
      test.setTimeout(60_000);
      await page.setViewportSize(viewport);
      await signIn(page, server, server.admin, `${ownList}&size=100`);
      await expect(page.getByRole("link", { name: ABSURD_NAME, exact: true })).toBeVisible();
      await expectEverythingInside(page, "list");
      await expectCellsHoldTheirText(page, "list");
      await shoot(page, `absurd-list-${size}`);

      await page.goto(server.url(`${LIST_PATH}/new?from=${hugeId}`));
      await expect(page.getByRole("heading", { level: 1 })).toContainText(
        `Duplicate “${server.prefix}huge-`,
      );
      await expectTextInside(page, "duplicate of a 10,000-character name");
      await page.getByLabel("Name").fill(LONG_NAME);
      await expect(page.getByText(/already exists/)).toBeVisible();
      await expectTextInside(page, "a 255-character name that is taken");
      await page.getByLabel("Name").fill(HUGE_NAME.slice(0, 255));
      await expect(page.getByText(/is free/)).toBeVisible();
      await expectTextInside(page, "a 255-character name that is free");
      await shoot(page, `absurd-duplicate-${size}`);

      await page.goto(server.url(`${LIST_PATH}/${absurdId}`));
      await expect(page.getByRole("heading", { level: 1 })).toContainText(ABSURD_NAME);
      await expectTextInside(page, "edit with absurd timeouts");
      await shoot(page, `absurd-edit-${size}`);
    });
  }
});

test("a new timeout over a day is refused, naming it; a stored one stays savable", async ({
  page,
}) => {
  const stored = server.uniqueName("stored-absurd");
  await createThroughApi(server, { name: stored, ...ABSURD });
  await signIn(page, server, server.admin, searchPath(stored));
  await page.getByRole("link", { name: "Create strategy" }).click();
  await page.getByLabel("Name").fill(server.uniqueName("slip-of-the-unit"));
  await page.getByLabel("TLS handshake timeout", { exact: true }).fill("100000d");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByText("Not saved. This combination cannot deliver mail:")).toBeVisible();
  await expect(page.getByRole("alert").or(page.locator("#save-refused"))).toContainText(
    "TLS handshake timeout is 100000d, over a day",
  );

  await page.goto(server.url(searchPath(stored)));
  await page.getByRole("link", { name: stored, exact: true }).click();
  await page.getByLabel("Description", { exact: true }).fill("Still savable");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${stored}”.` })).toBeVisible();
});

test("at 360×740 the first strategy is on the first screen, and bulk actions follow the selection", async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, server, server.admin, ownList);
  const firstName = page.getByRole("table").getByRole("link").first();
  await expect(firstName).toBeInViewport();

  // Ticking a row far down keeps "Delete selected" in view at the bottom of the screen.
  const lastRow = page.getByRole("row").last();
  await lastRow.scrollIntoViewIfNeeded();
  await lastRow.getByRole("checkbox").check();
  const bulkDelete = page.getByRole("button", { name: "Delete selected (1)" });
  await expect(bulkDelete).toBeInViewport();
  await page.getByRole("heading", { level: 1 }).scrollIntoViewIfNeeded();
  await expect(bulkDelete).toBeInViewport();
  const box = await bulkDelete.boundingBox();
  expect((box?.y ?? 0) + (box?.height ?? 0)).toBeGreaterThan(740 - 120);
});
