import { expect, isStoredNamesRead, LIST_PATH, rowOf, signIn, test } from "./fixtures/page";
import { apiClient, seedStrategies, serverForThisFile } from "./fixtures/server";

const server = serverForThisFile();

// 120 strategies named <prefix>page-…-000 … -119, created once for this file.
let prefix = "";
let names: string[] = [];
test.beforeAll(async () => {
  prefix = `${server.uniqueName("page")}-`;
  names = Array.from({ length: 120 }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`);
  await seedStrategies(server, names);
});

const search = (page: import("@playwright/test").Page) => page.getByLabel("Search by name");
const nameLinks = (page: import("@playwright/test").Page) =>
  page.getByRole("table").getByRole("rowheader").getByRole("link");

test("an admin pages through 120 strategies at two page sizes, one request per page", async ({
  page,
}) => {
  await signIn(page, server);
  await search(page).fill(prefix);
  await expect(page.getByText("Showing 1–25 of 120 strategies")).toBeVisible();
  await expect(nameLinks(page)).toHaveCount(25);
  await expect(nameLinks(page).first()).toHaveText(names[0] as string);

  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.postData() ?? "");
  });
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page.getByText("Showing 26–50 of 120 strategies")).toBeVisible();
  await expect(nameLinks(page).first()).toHaveText(names[25] as string);
  // Not the page turn's: the stored names, read in the background, may leave meanwhile.
  const pageReads = posts.filter((body) => !isStoredNamesRead(body));
  expect(pageReads).toHaveLength(1);
  expect(pageReads[0]).toContain('"position":25');

  await page.getByRole("link", { name: "Last page" }).click();
  await expect(page.getByText("Showing 101–120 of 120 strategies")).toBeVisible();
  await expect(nameLinks(page)).toHaveCount(20);
  await expect(page.getByRole("link", { name: "Next page" })).toBeDisabled();
  await page.getByRole("link", { name: "Previous page" }).click();
  await expect(page.getByText("Showing 76–100 of 120 strategies")).toBeVisible();

  await page.getByLabel("Rows per page").selectOption("50");
  await expect(page.getByText("Showing 1–50 of 120 strategies")).toBeVisible();
  await expect(page.getByText("Page 1 of 3")).toBeVisible();
  await page.getByRole("link", { name: "Last page" }).click();
  await expect(page.getByText("Showing 101–120 of 120 strategies")).toBeVisible();
  await page.getByRole("link", { name: "First page" }).click();
  await expect(nameLinks(page).first()).toHaveText(names[0] as string);
  await expect(page.getByRole("link", { name: "Previous page" })).toBeDisabled();
});

test("the previous rows stay on screen until the next page arrives", async ({ page }) => {
  await signIn(page, server);
  await search(page).fill(prefix);
  await expect(nameLinks(page).first()).toHaveText(names[0] as string);
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/jmap/", async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page.getByRole("link", { name: "Next page" })).toBeVisible();
  await expect(nameLinks(page)).toHaveCount(25);
  await expect(nameLinks(page).first()).toHaveText(names[0] as string);
  release();
  await expect(nameLinks(page).first()).toHaveText(names[25] as string);
});

test("an admin sorts by name and by creation, both ways", async ({ page }) => {
  await signIn(page, server);
  await search(page).fill(prefix);
  const sort = page.getByLabel("Sort by");
  await expect(nameLinks(page).first()).toHaveText(names[0] as string);
  await sort.selectOption({ label: "Name (Z→A)" });
  await expect(nameLinks(page).first()).toHaveText(names[119] as string);
  await sort.selectOption({ label: "Oldest first" });
  await expect(nameLinks(page).first()).toHaveText(names[0] as string);
  await sort.selectOption({ label: "Newest first" });
  await expect(nameLinks(page).first()).toHaveText(names[119] as string);
  await expect(page).toHaveURL(/sort=newest/);
});

test("a prefix search finds default and dev-relay for “de”; no match says so and clears", async ({
  page,
}) => {
  // This file's own "default", "dev-relay" and "invalid-tls", side by side under one group.
  const group = server.uniqueName("names");
  const [byDefault, devRelay, invalidTls] = ["default", "dev-relay", "invalid-tls"].map(
    (name) => `${group}-${name}`,
  ) as [string, string, string];
  await seedStrategies(server, [byDefault, devRelay, invalidTls]);
  await signIn(page, server);
  const typed = `${group}-de`;
  await search(page).pressSequentially(typed);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(typed)}`));
  await expect(nameLinks(page)).toHaveText([byDefault, devRelay]);
  await expect(page.getByRole("link", { name: invalidTls, exact: true })).toHaveCount(0);

  const nothing = `${server.prefix}no-such-prefix`;
  await search(page).fill(nothing);
  await expect(page.getByText(`No strategy name starts with “${nothing}”.`)).toBeVisible();
  await expect(page.getByText("There are no TLS strategies yet")).toHaveCount(0);
  await page.getByRole("button", { name: "Clear search" }).click();
  await expect(search(page)).toHaveValue("");
  // The whole list again: whatever its first page holds, no longer the search's answer.
  await expect(page).not.toHaveURL(/q=/);
  await expect(nameLinks(page).first()).toBeVisible();
  await expect(page.getByText(/^No strategy name starts with/)).toHaveCount(0);

  await search(page).fill(prefix);
  await expect(page.getByText("Showing 1–25 of 120 strategies")).toBeVisible();
  await search(page).press("Escape");
  await expect(search(page)).toHaveValue("");
  await expect(page).not.toHaveURL(/q=/);
});

test("the view survives a reload, Back and a shared link; a page past the end shows the last", async ({
  page,
}) => {
  await signIn(page, server);
  await search(page).fill(prefix);
  await expect(page.getByText("Showing 1–25 of 120 strategies")).toBeVisible();
  await page.getByLabel("Rows per page").selectOption("10");
  await page.getByLabel("Sort by").selectOption({ label: "Name (Z→A)" });
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page.getByText("Showing 11–20 of 120 strategies")).toBeVisible();
  await expect(nameLinks(page).first()).toHaveText(names[109] as string);

  await page.reload();
  await expect(page.getByText("Showing 11–20 of 120 strategies")).toBeVisible();
  await expect(search(page)).toHaveValue(prefix);
  await expect(page.getByLabel("Sort by")).toHaveValue("name-desc");
  await expect(page.getByLabel("Rows per page")).toHaveValue("10");

  await page.goBack();
  await expect(page.getByText("Showing 1–10 of 120 strategies")).toBeVisible();
  await page.goForward();
  await expect(page.getByText("Showing 11–20 of 120 strategies")).toBeVisible();

  // A link from someone else, to a page that does not exist any more.
  const shared = `${LIST_PATH}?q=${encodeURIComponent(prefix)}&size=50&page=9`;
  await page.goto(server.url(shared));
  await expect(page.getByText("Showing 101–120 of 120 strategies")).toBeVisible();
  await expect(page).toHaveURL(/page=3/);

  // Names are real links: Ctrl-click opens the strategy in a new tab and leaves this one.
  const href = await nameLinks(page).first().getAttribute("href");
  expect(href).toMatch(new RegExp(`^${LIST_PATH}/[a-z0-9]+$`));
  const [tab] = await Promise.all([
    page.context().waitForEvent("page"),
    nameLinks(page)
      .first()
      .click({ modifiers: ["ControlOrMeta"] }),
  ]);
  // The new tab gets the sign-in from this one (no sign-in page) and opens the strategy the
  // link pointed at.
  await expect(tab.getByRole("heading", { name: `Edit “${names[100]}”` })).toBeVisible();
  await expect(tab).toHaveURL(server.url(href ?? ""));
  await expect(tab.getByRole("heading", { name: `Edit “${names[100]}”` })).toBeVisible();
  await expect(page).toHaveURL(/page=3/);
});

test("a bulk delete sends one request and reports a strategy deleted meanwhile by name", async ({
  page,
}) => {
  const group = server.uniqueName("bulk");
  const victims = [`${group}-a`, `${group}-b`, `${group}-c`];
  const ids = await seedStrategies(server, victims);
  await signIn(page, server);
  await search(page).fill(group);
  for (const name of victims) {
    await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
    await page.getByRole("checkbox", { name: `Select ${name}` }).check();
  }
  await expect(page.getByRole("button", { name: "Delete selected (3)" })).toBeEnabled();

  // Someone else deletes one of them while the admin looks at the list.
  await apiClient(server).call([
    { id: "d", name: "x:MtaTlsStrategy/set", args: { destroy: [ids[victims[1] as string]] } },
  ]);

  await page.getByRole("button", { name: "Delete selected (3)" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete 3 strategies?" });
  await expect(dialog.getByRole("listitem")).toHaveText(victims);
  const sets: string[] = [];
  page.on("request", (request) => {
    // Not the delete's: the stored names, read again in the background after it.
    const body = request.postData() ?? "";
    if (request.method() === "POST" && !isStoredNamesRead(body)) sets.push(body);
  });
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Deleted 2 strategies." })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText(
    `“${victims[1]}”: it no longer exists (someone may have deleted it already).`,
  );
  expect(sets).toHaveLength(1);
  expect(sets[0]).toContain('"destroy":[');
  for (const name of victims)
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});

test("the page checkbox selects every row on the page", async ({ page }) => {
  await signIn(page, server);
  await search(page).fill(prefix);
  // The search applies after a pause: wait for it, then for the smaller page of it.
  await expect(page.getByText("Showing 1–25 of 120 strategies")).toBeVisible();
  await page.getByLabel("Rows per page").selectOption("10");
  await expect(page.getByText("Showing 1–10 of 120 strategies")).toBeVisible();
  await expect(nameLinks(page)).toHaveCount(10);
  await page.getByRole("checkbox", { name: "Select all strategies on this page" }).check();
  await expect(page.getByRole("button", { name: "Delete selected (10)" })).toBeEnabled();
  await page.getByRole("checkbox", { name: `Select ${names[0]}` }).uncheck();
  await expect(
    page.getByRole("checkbox", { name: "Select all strategies on this page" }),
  ).not.toBeChecked();
  await expect(page.getByRole("button", { name: "Delete selected (9)" })).toBeEnabled();
});

test("Duplicate opens the create form with the values and an empty name, from a row and from the edit page", async ({
  page,
}) => {
  const original = server.uniqueName("original");
  const ids = await seedStrategies(server, [original]);
  await apiClient(server).call([
    {
      id: "u",
      name: "x:MtaTlsStrategy/set",
      args: {
        update: {
          [ids[original] as string]: {
            description: "Partner",
            dane: "require",
            tlsTimeout: 90_000,
          },
        },
      },
    },
  ]);
  await signIn(page, server);
  await search(page).fill(original);
  await rowOf(page, original).getByRole("link", { name: "Duplicate" }).click();
  await expect(page.getByRole("heading", { name: `Duplicate “${original}”` })).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("");
  await expect(page.getByLabel("Description", { exact: true })).toHaveValue("Partner");
  await expect(page.getByLabel("DANE", { exact: true })).toHaveValue("require");
  await expect(page.getByLabel("TLS handshake timeout", { exact: true })).toHaveValue("1m 30s");
  const copy = server.uniqueName("copy");
  await page.getByLabel("Name").fill(copy);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const review = page.getByRole("dialog", { name: "Create with warnings?" });
  await expect(review).toContainText("DANE: Optional → Required");
  await expect(review).toContainText("TLS handshake timeout: 3m → 1m 30s");
  await review.getByRole("button", { name: "Create anyway" }).click();
  await expect(page.getByRole("status")).toHaveText(`Created “${copy}”.`);

  await page.goto(server.url(`${LIST_PATH}/${ids[original]}`));
  await page.getByRole("link", { name: "Duplicate" }).click();
  await expect(page.getByLabel("Name")).toHaveValue("");
  await expect(page.getByLabel("DANE", { exact: true })).toHaveValue("require");
});

test("Refresh shows what changed on the server, and so does returning after 30 s", async ({
  page,
}) => {
  await page.clock.install();
  await signIn(page, server);
  const group = server.uniqueName("fresh");
  await search(page).fill(group);
  await expect(page.getByText(`No strategy name starts with “${group}”.`)).toBeVisible();
  await seedStrategies(server, [`${group}-a`]);
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByRole("link", { name: `${group}-a`, exact: true })).toBeVisible();

  // Someone adds another; the admin comes back to this tab more than 30 s later.
  await seedStrategies(server, [`${group}-b`]);
  await page.clock.fastForward(10_000);
  await page.evaluate(() => window.dispatchEvent(new Event("visibilitychange")));
  await expect(page.getByText("Showing 1–1 of 1 strategy")).toBeVisible();
  await page.clock.fastForward(21_000);
  await page.evaluate(() => window.dispatchEvent(new Event("visibilitychange")));
  await expect(page.getByRole("link", { name: `${group}-b`, exact: true })).toBeVisible();
});

test("Select all that match covers the whole search; the delete goes in batches of maxObjectsInSet with progress", async ({
  page,
}) => {
  test.setTimeout(90_000);
  // Two full batches of the server's maxObjectsInSet (500 on the embedded server) and 100.
  const { maxObjectsInSet: batch } = await apiClient(server).session();
  const count = 2 * batch + 100;
  const n = (value: number) => value.toLocaleString("en-US");
  const group = `${server.uniqueName("all")}-`;
  const many = Array.from({ length: count }, (_, i) => `${group}${String(i).padStart(5, "0")}`);
  const ids = await seedStrategies(server, many);
  await signIn(page, server);
  await search(page).fill(group);
  await expect(page.getByText(`Showing 1–25 of ${n(count)} strategies`)).toBeVisible();
  await page.getByRole("checkbox", { name: "Select all strategies on this page" }).check();
  await expect(page.getByText("25 selected")).toBeVisible();
  await page.getByRole("button", { name: `Select all ${n(count)} strategies that match` }).click();
  await expect(
    page.getByText(`All ${n(count)} strategies that match “${group}” are selected`),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: `Delete selected (${n(count)})` })).toBeEnabled();

  // Someone else deletes one meanwhile: it is reported by name, the others go.
  const gone = many[batch + 277] as string;
  await apiClient(server).call([
    { id: "d", name: "x:MtaTlsStrategy/set", args: { destroy: [ids[gone] as string] } },
  ]);
  // The second batch waits until the progress after the first has been seen.
  const batches: number[] = [];
  let releaseSecond = () => {};
  const secondMayGo = new Promise<void>((resolve) => {
    releaseSecond = resolve;
  });
  await page.route("**/jmap/", async (route) => {
    const body = route.request().postData() ?? "";
    const destroy = /"destroy":\[([^\]]*)\]/.exec(body);
    if (destroy) {
      batches.push((destroy[1] ?? "").split(",").length);
      if (batches.length === 2) await secondMayGo;
    }
    await route.continue();
  });
  await page.getByRole("button", { name: `Delete selected (${n(count)})` }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${n(count)} strategies?` });
  await expect(dialog.getByRole("listitem")).toHaveCount(count);
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(dialog.getByRole("status")).toHaveText(`${n(batch)} of ${n(count)} strategies sent`);
  releaseSecond();
  await expect(
    page.getByRole("status").filter({ hasText: `Deleted ${n(count - 1)} strategies.` }),
  ).toBeVisible();
  await expect(page.getByRole("alert")).toContainText(
    `“${gone}”: it no longer exists (someone may have deleted it already).`,
  );
  expect(batches).toEqual([batch, batch, 100]);
  await expect(page.getByText(`No strategy name starts with “${group}”.`)).toBeVisible();
});
