import type { Page } from "@playwright/test";
import { createThroughApi, updateThroughApi } from "./fixtures/api";
import {
  expect,
  isStoredNamesRead,
  LIST_PATH,
  rowOf,
  searchPath,
  signIn,
  test,
} from "./fixtures/page";
import { serverForThisFile } from "./fixtures/server";

// What makes the page fast, as behaviour a user relies on (README, "Speed"). The timings
// themselves are measured by `npm run bench`, never here.

const server = serverForThisFile();

/**
 * Every request the page sends from now on, as "METHOD /path"; not the read of every stored
 * name, which the list sends in the background a moment after it shows, whatever else happens.
 */
function requestLog(page: Page): string[] {
  const log: string[] = [];
  page.on("request", (request) => {
    if (isStoredNamesRead(request.postData() ?? "")) return;
    log.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  return log;
}

/** A strategy of this file's own, and the list searched for it. */
async function ownStrategy(label: string) {
  const name = server.uniqueName(label);
  await createThroughApi(server, { name });
  return { name, list: searchPath(name) };
}

/** The first strategy name the list shows, whatever it is. */
const firstName = (page: Page) =>
  page.getByRole("table").getByRole("rowheader").getByRole("link").first();

test("a reload of a signed-in tab sends its first data request without asking for the session", async ({
  page,
}) => {
  const { name, list } = await ownStrategy("reloaded");
  await signIn(page, server, server.admin, list);
  const log = requestLog(page);
  await page.reload();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  const api = log.filter((entry) => /\/(\.well-known|jmap|api)\b/.test(entry));
  // The session is remembered by the tab: no discovery before the list's request.
  expect(api).not.toContain("GET /.well-known/jmap");
  expect(api).not.toContain("GET /jmap/session");
  expect(api.filter((entry) => entry.startsWith("POST"))).toHaveLength(1);
});

test("a reload of the list sends its data requests from the HTML, before the script has loaded, and once", async ({
  page,
}) => {
  const { name, list } = await ownStrategy("early");
  await signIn(page, server, server.admin, list);
  // This reload records what the list sends first; the next one sends it from the HTML.
  await page.reload();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  const log = requestLog(page);
  // The page's script is held until the list's request has left (at most 5 s): only the
  // inline script of the HTML can send it that early.
  let listRequestLeft = () => {};
  const left = new Promise<void>((resolve) => {
    listRequestLeft = resolve;
  });
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/jmap/")
      listRequestLeft();
  });
  let wasScriptHeld = false;
  await page.route("**/assets/index-*.js", async (route) => {
    wasScriptHeld = await Promise.race([
      left.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
    ]);
    await route.continue();
  });
  await page.reload();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  expect(wasScriptHeld).toBe(true);
  // The page took those answers: no request twice, and no discovery.
  const api = log.filter((entry) => /\/(\.well-known|jmap|api)\b/.test(entry));
  expect(api.sort()).toEqual(["GET /api/account", "POST /jmap/"]);
  // Signing out forgets them with the credentials.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
  expect(
    await page.evaluate(() => sessionStorage.getItem("stalwart-tls-strategies.early")),
  ).toBeNull();
});

test("a reload sends early only what it read, and shows what the server holds now", async ({
  page,
}) => {
  const name = server.uniqueName("early");
  const id = await createThroughApi(server, { name, description: "Before" });
  await signIn(page, server, server.admin, `${LIST_PATH}?q=${name}`);
  await page.reload();
  await expect(rowOf(page, name)).toContainText("Before");
  const sent: string[] = [];
  page.on("request", (request) => {
    const body = request.postData() ?? "";
    if (request.method() === "POST" && !isStoredNamesRead(body)) sent.push(body);
  });
  // Changed by someone else since: the early answer is a fresh read, not a copy.
  await updateThroughApi(server, { [id]: { description: "After" } });
  await page.reload();
  await expect(rowOf(page, name)).toContainText("After");
  expect(sent).toHaveLength(1);
  expect(sent[0]).toContain(`"x:MtaTlsStrategy/query"`);
  expect(sent[0]).not.toContain("/set");
  // Another list view is not this record's: nothing is sent before the script runs.
  await page.getByLabel("Search by name").fill("");
  await expect(page).toHaveURL(server.url(LIST_PATH));
  const afterSearch: string[] = [];
  page.on("request", (request) => {
    const body = request.postData() ?? "";
    if (request.method() === "POST" && !isStoredNamesRead(body)) afterSearch.push(body);
  });
  await page.reload();
  await expect(firstName(page)).toBeVisible();
  expect(afterSearch).toHaveLength(1);
  expect(afterSearch[0]).not.toContain(name);
});

test("a session that changed is read again, and the page keeps working", async ({ page }) => {
  const { name, list } = await ownStrategy("session");
  await signIn(page, server, server.admin, list);
  // What an older load of this tab remembered: another state, as after a server change.
  await page.evaluate(() => {
    const key = "stalwart-tls-strategies.session";
    const memory = JSON.parse(sessionStorage.getItem(key) ?? "{}");
    memory.session.state = "stale";
    sessionStorage.setItem(key, JSON.stringify(memory));
  });
  const log = requestLog(page);
  await page.reload();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await expect
    .poll(() => log.filter((entry) => /GET \/(\.well-known\/jmap|jmap\/session)/.test(entry)))
    .not.toEqual([]);
  // The session read again is what the tab remembers from now on.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          JSON.parse(sessionStorage.getItem("stalwart-tls-strategies.session") ?? "{}").session
            ?.state,
      ),
    )
    .not.toBe("stale");
});

test("the page frame is drawn from the HTML alone, where the app then draws it", async ({
  browser,
  page,
}) => {
  // Without JavaScript: the header, breadcrumb and heading are already there.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const frame = await noScript.newPage();
  await frame.goto(server.url(LIST_PATH));
  const frameHeading = frame.getByRole("heading", { level: 1, name: "TLS Strategies" });
  await expect(frameHeading).toBeVisible();
  await expect(frame.getByRole("navigation", { name: "Breadcrumb" })).toBeVisible();
  const frameBox = await frameHeading.boundingBox();
  const frameSearch = await frame.getByLabel("Search by name").boundingBox();
  // Styled by the inlined stylesheet, allowed by its hash: no separate CSS request.
  expect(await frameHeading.evaluate((h) => getComputedStyle(h).fontWeight)).toBe("700");
  await noScript.close();

  // With it, after sign-in and once rows are there, nothing above them has moved (one of
  // this file's strategies makes sure there are rows, whatever the server holds).
  await ownStrategy("framed");
  await signIn(page, server);
  await page.reload();
  await expect(firstName(page)).toBeVisible();
  const heading = page.getByRole("heading", { level: 1, name: "TLS Strategies" });
  // Where things start, not how wide: the Create and Reload buttons take room once the
  // account's permissions are known.
  const at = (box: { x: number; y: number } | null) => box && { x: box.x, y: box.y };
  expect(at(await heading.boundingBox())).toEqual(at(frameBox));
  expect(at(await page.getByLabel("Search by name").boundingBox())).toEqual(at(frameSearch));
});

test("opening a strategy shows its form at once, before its read returns, with no fallback", async ({
  page,
}) => {
  const name = server.uniqueName("instant");
  const id = await createThroughApi(server, { name, description: "As listed" });
  await signIn(page, server, server.admin, `${LIST_PATH}?q=${name}`);
  const link = rowOf(page, name).getByRole("link", { name, exact: true });
  await expect(link).toBeVisible();
  // Give the idle-time preload of the form's code its chance, as a user reading the list does.
  await page.waitForTimeout(2_500);
  // Every text the page shows from the click on, to catch a "Loading…" however brief.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver(() => {
      const main = document.querySelector("main")?.textContent ?? "";
      if (/Loading/.test(main)) seen.push(main);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  // Changed since the list was read: the list's copy is older than the server's.
  await updateThroughApi(server, { [id]: { description: "Changed meanwhile" } });
  // The strategy's own read is slow: the form must not wait for it.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/jmap/", async (route) => {
    if (route.request().postData()?.includes('"x:MtaTlsStrategy/get"')) await held;
    await route.continue();
  });
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: `Edit “${name}”` })).toBeVisible();
  await expect(page.getByLabel("Description")).toHaveValue("As listed");
  expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([]);
  release();
  // The fresh read corrects the copy from the list while the form is untouched: that is the
  // form opening, not news about someone else's change.
  await expect(page.getByLabel("Description")).toHaveValue("Changed meanwhile");
  await expect(
    page.getByText(/Someone else changed this strategy/).filter({ visible: true }),
  ).toHaveCount(0);
});

test("pointing at a name prepares its page without showing or sending anything more", async ({
  page,
}) => {
  const name = server.uniqueName("rehearsed");
  await createThroughApi(server, { name, description: "Pointed at" });
  await signIn(page, server, server.admin, `${LIST_PATH}?q=${name}`);
  const link = rowOf(page, name).getByRole("link", { name, exact: true });
  await expect(link).toBeVisible();
  const sent = requestLog(page);
  await link.hover();
  // The strategy's read goes out; its edit page is rendered in rehearsal, never committed.
  await expect.poll(() => sent.filter((entry) => entry === "POST /jmap/")).toHaveLength(1);
  await page.waitForTimeout(300);
  await expect(page).toHaveTitle("TLS Strategies · Stalwart");
  await expect(page.getByLabel("Description")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("TLS Strategies");
  expect(sent.filter((entry) => /\/(jmap|api)\b/.test(entry))).toEqual(["POST /jmap/"]);
  // The click then opens that page.
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: `Edit “${name}”` })).toBeVisible();
  await expect(page.getByLabel("Description")).toHaveValue("Pointed at");
});

test("static files are sent as the build compressed them, and hashed ones are cached for good", async ({
  page,
}) => {
  const assets: { encoding: string | undefined; cache: string | undefined }[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.startsWith("/assets/")) {
      const headers = response.headers();
      assets.push({ encoding: headers["content-encoding"], cache: headers["cache-control"] });
    }
  });
  await page.goto(server.url(LIST_PATH));
  await expect(page.getByRole("heading", { name: "Sign in to Stalwart" })).toBeVisible();
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) {
    expect(asset.encoding).toBe("br");
    expect(asset.cache).toContain("immutable");
  }
});

test("every file a built script loads or preloads is served", async ({ request }) => {
  // The entry's sheet is inlined into the page and its file removed: a lazily loaded chunk
  // that still named it would fail to load (scripts/vite/inline-stylesheet.ts).
  const html = await (await request.get(server.url(LIST_PATH))).text();
  const scripts = [...html.matchAll(/\/(assets\/[\w.-]+\.js)/g)].map((match) => match[1]);
  const seen = new Set<string>();
  const queue = [...new Set(scripts)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const response = await request.get(server.url(`/${file}`));
    expect(response.status(), file).toBe(200);
    if (!file.endsWith(".js")) continue;
    const code = await response.text();
    for (const [, named] of code.matchAll(/"(?:\.\/|assets\/)([\w.-]+\.(?:js|css))"/g))
      queue.push(`assets/${named}`);
  }
  // The entry, and the lazily loaded views and actions behind it.
  expect(seen.size).toBeGreaterThan(10);
});
