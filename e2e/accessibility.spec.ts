import { createThroughApi } from "./fixtures/api";
import {
  createStrategy,
  expect,
  expectNoAxeViolations,
  LIST_PATH,
  searchPath,
  signIn,
  test,
} from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

const server = serverForThisFile();

for (const colorScheme of ["light", "dark"] as const) {
  test(`sign-in, list, create and edit have no axe violations in the ${colorScheme} theme`, async ({
    page,
  }) => {
    // Five full axe scans: on a busy 2-core machine that alone can take half a minute.
    test.setTimeout(60_000);
    await page.emulateMedia({ colorScheme });
    await page.goto(server.url(LIST_PATH));
    await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
    await expectNoAxeViolations(page);

    // The list of this file's strategies: never empty, whatever the server holds.
    const group = server.uniqueName(`a11y-${colorScheme}`);
    await createThroughApi(server, { name: `${group}-listed` });
    await signIn(page, server, server.admin, searchPath(group));
    await expect(page.getByRole("table")).toBeVisible();
    await expectNoAxeViolations(page);

    const name = `${group}-created`;
    await createStrategy(page, { name });
    await page.getByRole("link", { name: "Create strategy" }).click();
    await page.getByLabel("Name").fill("bad name");
    await page.getByLabel("TLS handshake timeout", { exact: true }).fill("soon");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page);

    await page.goto(server.url(searchPath(group)));
    await page.getByRole("link", { name, exact: true }).click();
    await expect(page.getByLabel("Name")).toHaveValue(name);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expectNoAxeViolations(page);
  });
}

test("the page works at 360 px wide and by keyboard alone", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(server.url(LIST_PATH));
  await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("radio", { name: "Username and password" })).toBeFocused();
  await page.getByLabel("Username", { exact: true }).fill(server.admin.username);
  await page.getByLabel("Password", { exact: true }).fill(server.admin.password);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "TLS Strategies" })).toBeVisible();
  // Nothing but the table's own scroll region is wider than the screen.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);

  const create = page.getByRole("link", { name: "Create strategy" });
  for (
    let i = 0;
    i < 20 && !(await create.evaluate((el) => el === document.activeElement));
    i += 1
  ) {
    await page.keyboard.press("Tab");
  }
  await expect(create).toBeFocused();
  const outline = await create.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe("solid");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Create strategy" })).toBeVisible();
  await expectNoAxeViolations(page);
});
