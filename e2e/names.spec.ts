import * as z from "zod/mini";
import { createThroughApi } from "./fixtures/api";
import { expect, LIST_PATH, rowOf, searchPath, signIn, test } from "./fixtures/page";
import { apiClient, serverForThisFile } from "./fixtures/server";

// Names that look the same are the same name (README, "Edits that never go wrong quietly"):
// Stalwart compares names byte for byte, so the page refuses a new name that only looks like
// an existing one, and marks stored names that already do. A stored name is never refused.

// Every letter of this file's prefix ("e2e-aliases-<digits>-") has a Cyrillic look-alike, so
// a whole name of it can be written in the other alphabet. Each variant keeps the prefix as
// typed, or is refused before anything is sent: a live server never gets a name of another
// prefix.
const server = serverForThisFile({ label: "aliases" });

/** `name` with the part after this file's prefix in capitals. */
const capitalized = (name: string) =>
  server.prefix + name.slice(server.prefix.length).toUpperCase();

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

/** Cyrillic letters that pass for the Latin letters of this file's names. */
const CYRILLIC: Record<string, string> = {
  a: "а",
  c: "с",
  e: "е",
  i: "і",
  l: "ӏ",
  o: "о",
  s: "ѕ",
};

async function tryToCreate(page: import("@playwright/test").Page, name: string) {
  await page.goto(server.url(`${LIST_PATH}/new`));
  await page.getByLabel("Name").fill(name);
}

test("a name that differs only by Unicode normalization, capitals or look-alike letters is refused, naming the one it looks like", async ({
  page,
}) => {
  const base = server.uniqueName("café");
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

  await tryToCreate(page, capitalized(base));
  await expect(page.getByText(/differs only by capitals/)).toBeVisible();
  // Letters of another alphabet that pass for these: mixed in, refused as such; a whole
  // name in the other alphabet, refused as looking like the existing one (and never sent).
  await tryToCreate(page, base.replace("café", "сafé"));
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByText(/mixes letters of different alphabets/)).toBeVisible();
  const latin = `${server.prefix}cocoa`;
  await createThroughApi(server, { name: latin });
  const cyrillic = Array.from(latin, (char) => CYRILLIC[char] ?? char).join("");
  expect(cyrillic).toMatch(/^[\p{Script=Cyrillic}\d-]+$/u);
  await tryToCreate(page, cyrillic);
  await expect(page.getByText(/letters that look the same/)).toBeVisible();

  // The same name typed fast and sent at once is still refused at the click.
  await page.goto(server.url(`${LIST_PATH}/new`));
  await page.getByLabel("Name").fill(capitalized(base));
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByText(/differs only by capitals/)).toBeVisible();
  expect(await exists(capitalized(base))).toBe(false);
});

test("stored names that already look alike are marked in the list, and stay savable", async ({
  page,
}) => {
  const name = server.uniqueName("relay");
  const twin = capitalized(name);
  await createThroughApi(server, { name });
  const twinId = await createThroughApi(server, { name: twin });
  await signIn(page, server, server.admin, searchPath(name));
  const mark = rowOf(page, name).getByText("Looks like another name");
  await expect(mark).toBeVisible({ timeout: 10_000 });
  await expect(mark).toHaveAttribute("title", `Looks the same as “${twin}”`);
  await page.goto(server.url(`${LIST_PATH}/${twinId}`));
  await page.getByLabel("Description", { exact: true }).fill("Still mine to edit");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${twin}”.` })).toBeVisible();
});
