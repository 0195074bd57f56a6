import type { Browser } from "@playwright/test";
import { openStore, type Store } from "../../server/store";
import { LIST_PATH } from "../../src/paths";
import { type Running, seed, settle, startServer } from "../server";
import { ADMIN_PASSWORD, SIZES } from "../settings";
import { summarize } from "../stats";
import { clickToForm, saveToList } from "./actions";
import { type LoadResult, measureLoad, rowsWatcher } from "./load";
import {
  type BenchState,
  type BenchWindow,
  benchInit,
  ROW_LINK,
  STORAGE_PREFIX,
} from "./page-state";
import { PROFILES, type Profile } from "./profiles";

// 4. Timings in the browser: two profiles, two store sizes, interleaved runs.

interface SizeUnderTest {
  strategies: number;
  store: Store;
  server: Running;
  /** The strategy whose link is clicked: on the first page of the list, sorted by name. */
  knownName: string;
}

export type RunResult = {
  run: number;
  strategies: number;
  profile: Profile["name"];
  firstLoad: LoadResult;
  knownSession: LoadResult;
  clickToForm: Awaited<ReturnType<typeof clickToForm>>;
  saveToList: Awaited<ReturnType<typeof saveToList>>;
};

/**
 * One run in a new browser context (a new tab): the first load (only credentials in
 * sessionStorage), a reload of that signed-in tab (the known session), both with the HTTP
 * cache off; then, cache on as in any browser, and once the page has had 2 s after its rows
 * and 1 s without requests (the admin reads the list), click → form and save → list.
 */
async function measureRun(
  browser: Browser,
  size: SizeUnderTest,
  profile: Profile,
  run: number,
): Promise<RunResult> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(benchInit, {
    password: ADMIN_PASSWORD,
    rowLink: ROW_LINK,
    prefix: STORAGE_PREFIX,
  });
  const nextRows = await rowsWatcher(context);
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (profile.cpuRate !== 1)
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpuRate });
    if (profile.network)
      await cdp.send("Network.emulateNetworkConditions", { offline: false, ...profile.network });
    const url = `${size.server.origin}${LIST_PATH}`;
    const firstLoad = await measureLoad(
      page,
      cdp,
      nextRows,
      () => page.goto(url, { waitUntil: "domcontentloaded" }),
      false,
    );
    const knownSession = await measureLoad(
      page,
      cdp,
      nextRows,
      () => page.reload({ waitUntil: "domcontentloaded" }),
      true,
    );
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
    await page.waitForFunction(
      () =>
        performance.now() >=
        (((window as unknown as BenchWindow).__bench as BenchState).rowsAt ?? 0) + 2_000,
      null,
      {
        polling: 100,
      },
    );
    await settle(size.server.log, 1_000);
    const stored = [...size.store.strategies.values()].find((s) => s.name === size.knownName);
    if (!stored) throw new Error(`No strategy named ${size.knownName}.`);
    const known = { name: stored.name, description: stored.description ?? "" };
    const click = await clickToForm(page, size.server, known);
    const save = await saveToList(
      page,
      known,
      `Saved by the benchmark: ${profile.name}, run ${run}`,
    );
    return {
      run,
      strategies: size.strategies,
      profile: profile.name,
      firstLoad,
      knownSession,
      clickToForm: click,
      saveToList: save,
    };
  } catch (error) {
    // What the page showed when the run gave up, to tell a slow page from a broken one.
    const shows = await page
      .evaluate(() => document.body?.innerText.replace(/\s+/g, " ").trim().slice(0, 160) ?? "")
      .catch(() => "?");
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Error(`${message} (at ${page.url()}, showing "${shows}")`);
  } finally {
    await context.close();
  }
}

/**
 * One server per size; for each run, each size, each profile in turn (2 unthrottled, 2 slow,
 * 5,000 unthrottled, 5,000 slow, 2 unthrottled, …), so that whatever else the machine does at
 * a given moment weighs on every case alike. Run 0 warms up each server and the browser,
 * unthrottled only, and is not counted; a run that fails is logged and left out.
 */
export async function browserTimings(browser: Browser, runs: number, clientDir: string) {
  const sizes: SizeUnderTest[] = await Promise.all(
    SIZES.map(async (strategies) => {
      const { store } = await openStore({ dataDir: null, adminPassword: ADMIN_PASSWORD });
      await seed(store, strategies);
      return {
        strategies,
        store,
        server: await startServer(store, clientDir),
        knownName: strategies === 2 ? "default" : "strategy-00002",
      };
    }),
  );
  const results: RunResult[] = [];
  const failures: { run: number; strategies: number; profile: string; error: string }[] = [];
  try {
    const started = performance.now();
    for (let run = 0; run <= runs; run += 1) {
      for (const size of sizes) {
        for (const profile of run === 0 ? PROFILES.slice(0, 1) : PROFILES) {
          try {
            const result = await measureRun(browser, size, profile, run);
            if (run > 0) results.push(result);
          } catch (error) {
            const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
            console.error(
              `run ${run}, ${size.strategies} strategies, ${profile.name}: ${message ?? ""}`,
            );
            if (run > 0)
              failures.push({
                run,
                strategies: size.strategies,
                profile: profile.name,
                error: message ?? "",
              });
          }
        }
      }
      console.error(
        `browser timings: run ${run} of ${runs} done${run === 0 ? " (warm-up)" : ""}, ${Math.round((performance.now() - started) / 1000)} s`,
      );
    }
    return { runs: results, failures };
  } finally {
    await Promise.all(sizes.map(({ server }) => server.close()));
  }
}

/** The runs of each profile and size, and their summaries (bench/report.ts, bench/targets.ts). */
export function runStats(runs: RunResult[]) {
  const cell = (profile: Profile["name"], strategies: number) =>
    runs.filter((r) => r.profile === profile && r.strategies === strategies);
  const stat = (
    profile: Profile["name"],
    strategies: number,
    pick: (run: RunResult) => number | null,
  ) => summarize(cell(profile, strategies).map(pick));
  const medianOf = (
    profile: Profile["name"],
    strategies: number,
    pick: (run: RunResult) => number | null,
  ) => stat(profile, strategies, pick)?.median ?? Number.NaN;
  const rowsKnown = (run: RunResult) => run.knownSession.rowsMs;
  const [small, large] = [SIZES[0] as number, SIZES[SIZES.length - 1] as number];
  const spreads = Object.fromEntries(
    PROFILES.map(({ name }) => [
      name,
      medianOf(name, large, rowsKnown) / medianOf(name, small, rowsKnown),
    ]),
  );
  return { cell, stat, medianOf, rowsKnown, small, large, spreads };
}

export type RunStats = ReturnType<typeof runStats>;
