import { expect, expectNoAxeViolations, LIST_PATH, rowOf, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

const READ = ["sysMtaTlsStrategyGet", "sysMtaTlsStrategyQuery"];
const server = serverForThisFile({
  users: [
    { name: "auditor", password: "auditor-password-1", permissions: READ },
    {
      name: "editor",
      password: "editor-password-1",
      permissions: [...READ, "sysMtaTlsStrategyUpdate"],
    },
    {
      name: "creator",
      password: "creator-password-1",
      permissions: [...READ, "sysMtaTlsStrategyCreate"],
    },
    {
      name: "remover",
      password: "remover-password-1",
      permissions: [...READ, "sysMtaTlsStrategyDestroy"],
    },
    { name: "nobody", password: "nobody-password-1", permissions: [] },
  ],
});

test("a Get+Query-only user reads everything, is offered no change, and sees why", {
  tag: "@embedded",
}, async ({ page }) => {
  await signIn(page, server, server.users.auditor);
  await expect(page.getByRole("link", { name: "default", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create strategy" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Duplicate/ })).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Delete selected/ })).toHaveCount(0);
  // Without sysMtaOutboundStrategyGet, usage is unknown rather than an error.
  await expect(
    page.getByText(/Which strategies the outbound strategy uses is unknown/),
  ).toBeVisible();

  await page.getByRole("link", { name: "default", exact: true }).click();
  await expect(page.getByText(/You can view this strategy but not change it/)).toBeVisible();
  await expect(page.getByLabel("Description", { exact: true })).not.toBeEditable();
  await expect(page.getByLabel("DANE", { exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Duplicate" })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.goto(server.url(`${LIST_PATH}/new`));
  await expect(page.getByText(/You may not create TLS strategies/)).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveCount(0);
});

test("an Update-only editor may save but not create or delete", { tag: "@embedded" }, async ({
  page,
}) => {
  await signIn(page, server, server.users.editor);
  await expect(page.getByRole("link", { name: "default", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create strategy" })).toHaveCount(0);
  await page.getByRole("link", { name: "invalid-tls", exact: true }).click();
  await page.getByLabel("Description", { exact: true }).fill("Edited by the editor");
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Saved “invalid-tls”.");
});

test("a creator may create and duplicate; a remover may delete", { tag: "@embedded" }, async ({
  page,
}) => {
  await signIn(page, server, server.users.creator);
  await expect(page.getByRole("link", { name: "Create strategy" })).toBeVisible();
  await expect(rowOf(page, "default").getByRole("link", { name: "Duplicate" })).toBeVisible();
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).click();

  await signIn(page, server, server.users.remover);
  await expect(page.getByRole("checkbox", { name: "Select default" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create strategy" })).toHaveCount(0);
  await page.getByRole("link", { name: "default", exact: true }).click();
  await expect(page.getByRole("button", { name: "Delete" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
});

test("a user without read permissions is told so", { tag: "@embedded" }, async ({ page }) => {
  await signIn(page, server, server.users.nobody);
  await expect(
    page.getByRole("heading", { name: "You may not view TLS strategies" }),
  ).toBeVisible();
  await expect(
    page.getByText(/needs the “sysMtaTlsStrategyGet” and “sysMtaTlsStrategyQuery” permissions/),
  ).toBeVisible();
});
