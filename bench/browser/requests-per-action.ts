import type { Browser, Page, Request } from "@playwright/test";
import type { Store } from "../../server/store";
import { LIST_PATH } from "../../src/paths";
import { isApi, type Logged, seed, sequentialRoundTrips, settle, startServer } from "../server";
import { ADMIN_PASSWORD, sleep } from "../settings";

// The HTTP requests each user action costs, counted at the server: the cold load, a page of
// the list, opening, saving, applying and deleting.

/**
 * A tab that is signed in (credentials and session URL in its sessionStorage, as sign-in
 * leaves them) and whose HTTP cache is off, so the next load of the list is a cold one.
 */
async function signedInTab(browser: Browser, origin: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(
    ([password]) => {
      if (!sessionStorage.getItem("stalwart-tls-strategies.credentials")) {
        sessionStorage.setItem(
          "stalwart-tls-strategies.credentials",
          JSON.stringify({ kind: "basic", username: "admin", password }),
        );
      }
      // When the first row appears, relative to the start of this navigation.
      new MutationObserver((_, observer) => {
        if (document.querySelector("tbody tr")) {
          (window as unknown as { rowsVisibleAt: number }).rowsVisibleAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    },
    [ADMIN_PASSWORD],
  );
  const page = await context.newPage();
  await page.goto(`${origin}${LIST_PATH}`);
  await page.waitForFunction(() => (window as unknown as { rowsVisibleAt?: number }).rowsVisibleAt);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  return page;
}

/**
 * The requests one user action causes, from the click until what it shows is on screen:
 * counted at the server; their timing (for round trips) as the browser saw them, since a
 * request the page sends at once may reach the server after another one has answered.
 */
async function counted(
  log: Logged[],
  action: () => Promise<void>,
  { settleFirst = true, page }: { settleFirst?: boolean; page?: Page } = {},
) {
  if (settleFirst) await settle(log, 1_500);
  const seen: Logged[] = [];
  const onFinished = (request: Request) => {
    const timing = request.timing();
    const url = new URL(request.url());
    seen.push({
      method: request.method(),
      path: url.pathname,
      start: timing.startTime,
      end: timing.startTime + timing.responseEnd,
    });
  };
  page?.on("requestfinished", onFinished);
  const from = log.length;
  await action();
  // Requests still on their way when the result showed belong to the action too.
  await sleep(300);
  page?.off("requestfinished", onFinished);
  const requests = log.slice(from);
  return {
    requests: requests.length,
    api: requests.filter((r) => isApi(r.path)).length,
    roundTrips: sequentialRoundTrips(page ? seen : requests),
    paths: requests.map((r) => `${r.method} ${r.path.replace(/assets\/[^?]+/, "assets/…")}`),
  };
}

/** Requests per user action, unthrottled, on a store of 120 strategies (5 pages of 25). */
export async function requestsPerAction(browser: Browser, store: Store, clientDir: string) {
  await seed(store, 120);
  const server = await startServer(store, clientDir);
  try {
    const page = await signedInTab(browser, server.origin);
    const rows = page.getByRole("table").getByRole("rowheader").getByRole("link");
    const results: Record<string, Awaited<ReturnType<typeof counted>>> = {};

    results["cold load of the list"] = await counted(
      server.log,
      async () => {
        await page.goto(`${server.origin}${LIST_PATH}`);
        await rows.first().waitFor();
      },
      { page },
    );
    // Not part of the load: what the page fetches while the admin reads the list.
    results["later, in the background (form code preload)"] = await counted(
      server.log,
      () => settle(server.log, 2_500),
      { settleFirst: false },
    );
    results["next page"] = await counted(server.log, async () => {
      await page.getByRole("link", { name: "Next page" }).click();
      await page.getByText("Showing 26–50").waitFor();
    });
    results["open an edit form"] = await counted(server.log, async () => {
      await rows.first().click();
      await page.getByLabel("Description", { exact: true }).waitFor();
    });
    results["save an edit"] = await counted(server.log, async () => {
      await page.getByLabel("Description", { exact: true }).fill("Changed by the benchmark");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    });
    // Save and apply: the /set and the settings reload travel in one request (README, "Saved
    // is not applied").
    await rows.first().click();
    await page.getByLabel("Description", { exact: true }).waitFor();
    const posted: string[] = [];
    const onRequest = (request: Request) => {
      if (request.method() === "POST") posted.push(request.postData() ?? "");
    };
    page.on("request", onRequest);
    results["save and apply"] = await counted(server.log, async () => {
      await page.getByLabel("Description", { exact: true }).fill("Applied by the benchmark");
      await page.getByRole("button", { name: "Save and apply" }).click();
      await page.getByRole("status").filter({ hasText: "Applied" }).waitFor();
    });
    page.off("request", onRequest);
    const saveAndApply = {
      withBoth: posted.filter(
        (body) => body.includes("x:MtaTlsStrategy/set") && body.includes("x:Action/set"),
      ).length,
      withReload: posted.filter((body) => body.includes("x:Action/set")).length,
    };
    await rows.first().click();
    await page.getByRole("button", { name: "Delete" }).waitFor();
    // Opening the dialog reads the outbound strategy's rules again, so that its warning about
    // a strategy delivery uses is true when the admin confirms (README, "Where a strategy is used"); the delete
    // itself is the confirmation's one request.
    results["open a delete dialog"] = await counted(server.log, async () => {
      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Delete" }).waitFor();
    });
    results["delete one"] = await counted(server.log, async () => {
      await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
      await page.getByRole("status").filter({ hasText: "Deleted" }).waitFor();
    });
    await page.getByLabel("Rows per page").selectOption("50");
    await page.getByText("Showing 1–50").waitFor();
    await page.getByRole("checkbox", { name: "Select all strategies on this page" }).check();
    results["open a bulk delete dialog"] = await counted(server.log, async () => {
      await page.getByRole("button", { name: "Delete selected (50)" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Delete" }).waitFor();
    });
    results["bulk delete 50"] = await counted(server.log, async () => {
      await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
      await page.getByRole("status").filter({ hasText: "Deleted 50 strategies." }).waitFor();
    });
    await page.context().close();
    return { actions: results, saveAndApply };
  } finally {
    await server.close();
  }
}
