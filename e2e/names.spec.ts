import * as z from "zod/mini";
import {
  apiClient,
  createThroughApi,
  expect,
  LIST_PATH,
  rowOf,
  serverForThisFile,
  signIn,
  test,
  uniqueName,
} from "./fixtures";

// Names that look the same are the same name (issue 16 §5, §7): Stalwart compares names
// byte for byte, so the page refuses a new name that only looks like an existing one, and
// marks stored names that already do. A stored name is never refused.

const server = serverForThisFile();

/** Whether the server holds a strategy of exactly this name. */
async function exists(name: string): Promise<boolean> {
  const responses = await apiClient(server).call([
    {
      id: "q",
      name: "x:MtaTlsStrategy/query",
      args: { filter: { name }, position: 0, calculateTotal: true },
    },
  ]);
  const { ids } = responses.get("q", z.looseObject({ ids: z.array(z.string()) }));
  return ids.length > 0;
}

async function tryToCreate(page: import("@playwright/test").Page, name: string) {
  await page.goto(server.url(`${LIST_PATH}/new`));
  await page.getByLabel("Name").fill(name);
}

test("a name that differs only by Unicode normalization, capitals or look-alike letters is refused, naming the one it looks like", async ({
  page,
}) => {
  const base = uniqueName("café");
  await createThroughApi(server, { name: base.normalize("NFC") });
  await signIn(page, server);

  const decomposed = base.normalize("NFD");
  await tryToCreate(page, decomposed);
  const refusal = page.getByText(/looks the same as the existing strategy/);
  await expect(refusal).toBeVisible();
  await expect(refusal).toContainText("other Unicode code points");
  await expect(page.getByRole("link", { name: `Open “${base}”` })).toBeVisible();
  await expect(page.getByText(/is free/)).toHaveCount(0);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  expect(await exists(decomposed)).toBe(false);

  await tryToCreate(page, base.toUpperCase());
  await expect(page.getByText(/differs only by capitals/)).toBeVisible();
  // Letters of another alphabet that pass for these: mixed in, refused as such; a whole
  // name in the other alphabet, refused as looking like the existing one.
  await tryToCreate(page, base.replace("e2e", "e2е"));
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByText(/mixes letters of different alphabets/)).toBeVisible();
  const latin = `e2e-cocoa-${base.length}`;
  await createThroughApi(server, { name: latin });
  await tryToCreate(page, latin.replace("e2e-cocoa", "е2е-сосоа"));
  await expect(page.getByText(/letters that look the same/)).toBeVisible();

  // The same name typed fast and sent at once is still refused at the click.
  await page.goto(server.url(`${LIST_PATH}/new`));
  await page.getByLabel("Name").fill(`${base.toUpperCase()}`);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByText(/differs only by capitals/)).toBeVisible();
  expect(await exists(base.toUpperCase())).toBe(false);
});

test("stored names that already look alike are marked in the list, and stay savable", async ({
  page,
}) => {
  const name = uniqueName("relay");
  await createThroughApi(server, { name });
  const twinId = await createThroughApi(server, { name: name.toUpperCase() });
  await signIn(page, server, server.admin, `${LIST_PATH}?q=${name}`);
  const mark = rowOf(page, name).getByText("Looks like another name");
  await expect(mark).toBeVisible({ timeout: 10_000 });
  await expect(mark).toHaveAttribute("title", `Looks the same as “${name.toUpperCase()}”`);
  await page.goto(server.url(`${LIST_PATH}/${twinId}`));
  await page.getByLabel("Description", { exact: true }).fill("Still mine to edit");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(
    page.getByRole("status").filter({ hasText: `Saved “${name.toUpperCase()}”.` }),
  ).toBeVisible();
});
