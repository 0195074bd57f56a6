import { createThroughApi } from "./fixtures/api";
import { holdNextAnswer, isListRead } from "./fixtures/held-answers";
import { expect, LIST_PATH, rowOf, signIn, test } from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

// An answer that left before a change never overwrites it (README, "The page agrees with
// itself"): a list read in flight when the admin deletes or saves lands afterwards, and the
// page keeps what the change made of it.

const server = serverForThisFile();

test("a Refresh whose answer is slowed past a delete does not bring the deleted strategy back", async ({
  page,
}) => {
  const name = server.uniqueName("gone");
  await createThroughApi(server, { name });
  await signIn(page, server, server.admin, `${LIST_PATH}?q=${name}`);
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();

  const slow = await holdNextAnswer(page, isListRead);
  await page.getByRole("button", { name: "Refresh" }).click();
  await slow.held;

  await rowOf(page, name).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Delete selected (1)" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Deleted “${name}”.` })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);

  // The Refresh lands now, with the list as it was before the delete.
  slow.release();
  await page.waitForTimeout(300);
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  await expect(page.getByText(`No strategy name starts with “${name}”.`)).toBeVisible();
});

test("a Refresh whose answer is slowed past a save does not revert the saved description", async ({
  page,
}) => {
  const name = server.uniqueName("saved");
  await createThroughApi(server, { name, description: "Before" });
  await signIn(page, server, server.admin, `${LIST_PATH}?q=${name}`);
  await expect(rowOf(page, name)).toContainText("Before");

  const slow = await holdNextAnswer(page, isListRead);
  await page.getByRole("button", { name: "Refresh" }).click();
  await slow.held;

  await page.getByRole("link", { name, exact: true }).click();
  await page.getByLabel("Description", { exact: true }).fill("After");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${name}”.` })).toBeVisible();
  await expect(rowOf(page, name)).toContainText("After");

  slow.release();
  await page.waitForTimeout(300);
  await expect(rowOf(page, name)).toContainText("After");
  await expect(rowOf(page, name)).not.toContainText("Before");
});
