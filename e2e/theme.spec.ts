import type { Page } from "@playwright/test";
import { expect, expectNoAxeViolations, LIST_PATH, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

const server = serverForThisFile();

const theme = (page: Page) => page.getByRole("combobox", { name: "Theme" });
const background = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
const LIGHT_BACKGROUND = "rgb(246, 247, 249)";
const DARK_BACKGROUND = "rgb(20, 23, 27)";

test("the theme switch shows light or dark at once, remembers it, and System follows the system", async ({
  page,
}) => {
  // Two full axe scans of the list, whose first page a live server may fill with 25 rows: on
  // a busy 2-core machine that alone can take half a minute.
  test.setTimeout(60_000);
  await page.emulateMedia({ colorScheme: "light" });
  await signIn(page, server);
  await expect(theme(page)).toHaveValue("system");
  expect(await background(page)).toBe(LIGHT_BACKGROUND);

  await theme(page).selectOption({ label: "Dark" });
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(await background(page)).toBe(DARK_BACKGROUND);
  await expectNoAxeViolations(page);

  // Remembered: the server puts it on <html> before any script runs, so a reload never
  // flashes the other theme.
  const html = await (await page.request.get(server.url(LIST_PATH))).text();
  expect(html).toContain('data-theme="dark"');
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "TLS Strategies" })).toBeVisible();
  await expect(theme(page)).toHaveValue("dark");
  expect(await background(page)).toBe(DARK_BACKGROUND);

  await theme(page).selectOption({ label: "Light" });
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await background(page)).toBe(LIGHT_BACKGROUND);
  await expectNoAxeViolations(page);

  // System: nothing remembered, the colours follow the system's preference.
  await theme(page).selectOption({ label: "System" });
  await expect(page.locator("html")).not.toHaveAttribute("data-theme", /./);
  expect(await background(page)).toBe(DARK_BACKGROUND);
  await page.emulateMedia({ colorScheme: "light" });
  expect(await background(page)).toBe(LIGHT_BACKGROUND);
  const cookies = await page.context().cookies();
  expect(cookies.filter((cookie) => cookie.name === "stalwart-tls-theme")).toEqual([]);
});

test("the sign-in page has the theme switch too, and the choice carries over", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(server.url("/sign-in"));
  await theme(page).selectOption({ label: "Dark" });
  expect(await background(page)).toBe(DARK_BACKGROUND);
  await expectNoAxeViolations(page);
  await page.getByLabel("Username").fill(server.admin.username);
  await page.getByLabel("Password").fill(server.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(theme(page)).toHaveValue("dark");
  expect(await background(page)).toBe(DARK_BACKGROUND);
});
