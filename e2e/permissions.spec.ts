import { expect, LIST_PATH, serverForThisFile, signIn, test } from "./fixtures";

const server = serverForThisFile({
  users: [
    {
      name: "auditor",
      password: "auditor-password-1",
      permissions: ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery"],
    },
    { name: "nobody", password: "nobody-password-1", permissions: [] },
  ],
});

test("a Get+Query-only user reads strategies and sees clear errors, not a broken page", {
  tag: "@embedded",
}, async ({ page }) => {
  await signIn(page, server, server.users.auditor);
  await expect(page.getByRole("link", { name: "default", exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Create strategy" }).click();
  await page.getByLabel("Name").fill("auditor-made");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(
    /lacks the “sysMtaTlsStrategyCreate” permission/,
  );
  await expect(page.getByLabel("Name")).toHaveValue("auditor-made");

  await page.goto(server.url(LIST_PATH));
  await page.getByRole("link", { name: "default", exact: true }).click();
  await page.getByLabel("Description").fill("Changed by auditor");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toHaveText(
    /lacks the “sysMtaTlsStrategyUpdate” permission/,
  );
  await expect(page.getByLabel("Description")).toHaveValue("Changed by auditor");

  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(
    /lacks the “sysMtaTlsStrategyDestroy” permission/,
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Nothing changed on the server.
  await page.goto(server.url(LIST_PATH));
  await expect(page.getByRole("row").filter({ hasText: "Default TLS settings" })).toBeVisible();
  await expect(page.getByRole("link", { name: "auditor-made" })).toHaveCount(0);
});

test("a user without read permissions is told so", { tag: "@embedded" }, async ({ page }) => {
  await signIn(page, server, server.users.nobody);
  await expect(page.getByRole("alert")).toHaveText(
    /Could not load the TLS strategies.*lacks the “sysMtaTlsStrategyQuery” permission/,
  );
  await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
});
