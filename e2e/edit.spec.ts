import {
  countApiRequests,
  createStrategy,
  expect,
  searchPath,
  signIn,
  test,
} from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

const server = serverForThisFile();

test("an admin edits a description, clears it and changes an enum; Name stays read-only", async ({
  page,
}) => {
  const name = server.uniqueName("edit");
  await signIn(page, server, server.admin, searchPath(name));
  await createStrategy(page, { name, description: "Before" });
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page).toHaveTitle(new RegExp(name));

  const nameField = page.getByLabel("Name");
  await expect(nameField).toHaveValue(name);
  await expect(nameField).not.toBeEditable();
  const save = page.getByRole("button", { name: "Save", exact: true });
  await expect(save).toBeDisabled();

  // Save sends only what changed, and never the name.
  const bodies: unknown[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().includes("/jmap"))
      bodies.push(request.postDataJSON());
  });
  await page.getByLabel("Description", { exact: true }).fill("After");
  await expect(save).toBeEnabled();
  await save.click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row.getByRole("rowheader")).toContainText("After");
  expect(JSON.stringify(bodies)).toContain('"update":{');
  expect(JSON.stringify(bodies)).toContain('{"description":"After"}');

  // Clearing the description stores null (the server refuses an empty string).
  await page.getByRole("link", { name, exact: true }).click();
  await page.getByLabel("Description", { exact: true }).fill("");
  await page.getByLabel("DANE", { exact: true }).selectOption({ label: "Required" });
  bodies.length = 0;
  await page.getByRole("button", { name: "Save", exact: true }).click();
  // DANE Required is a warning: the save asks first and sums up what changes.
  const review = page.getByRole("dialog", { name: "Save with warnings?" });
  await expect(review).toContainText("DANE: Optional → Required");
  await expect(review).toContainText("Description: Before → (none)".replace("Before", "After"));
  await review.getByRole("button", { name: "Save anyway" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${name}”.`);
  expect(JSON.stringify(bodies)).toContain('{"description":null,"dane":"require"}');
  await expect(row.getByRole("rowheader")).not.toContainText("After");
  await expect(row.getByRole("cell")).toHaveText([
    "",
    "STARTTLSOptionalDANERequiredMTA-STSOptional",
    "Invalid certificatesRefused",
    "TLS handshake3mMTA-STS lookup5m",
    "Duplicate",
  ]);

  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByLabel("Description", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("DANE", { exact: true })).toHaveValue("require");
});

test("an invalid edit shows the error on its field and sends nothing", async ({ page }) => {
  const name = server.uniqueName("bad-edit");
  await signIn(page, server, server.admin, searchPath(name));
  await createStrategy(page, { name });
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByLabel("Name")).toHaveValue(name);
  const requests = countApiRequests(page);
  await page.getByLabel("MTA-STS lookup timeout", { exact: true }).fill("5 minutes");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByLabel("MTA-STS lookup timeout", { exact: true })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await expect(page.getByLabel("MTA-STS lookup timeout", { exact: true })).toHaveValue("5 minutes");
  expect(requests.changes).toBe(0);
});

test("an admin deletes a strategy after confirming, and can cancel", async ({ page }) => {
  const name = server.uniqueName("delete");
  await signIn(page, server, server.admin, searchPath(name));
  await createStrategy(page, { name });
  await page.getByRole("link", { name, exact: true }).click();

  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete “${name}”?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel("Name")).toHaveValue(name);

  await page.getByRole("button", { name: "Delete" }).click();
  const sets: string[] = [];
  page.on("request", (request) => {
    const body = request.postData() ?? "";
    if (body.includes("x:MtaTlsStrategy/set")) sets.push(body);
  });
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toHaveText(`Deleted “${name}”.`);
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  expect(sets).toHaveLength(1);
  expect(sets[0]).toContain('"destroy":[');
});
