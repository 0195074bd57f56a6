import type { BrowserContext, CDPSession, Page } from "@playwright/test";
import { isApi, sequentialRoundTrips } from "../server";
import type { BenchState, BenchWindow } from "./page-state";

// One load of the list as the page lives it: until its rows show, timed inside the page.

export interface LoadResult {
  /** From navigation start to the first strategy name link in the table's DOM, ms. */
  rowsMs: number;
  /** First contentful paint, ms from navigation start; null if Chromium reported none. */
  fcpMs: number | null;
  /** Long tasks (≥ 50 ms) that started before rows + 1 s: how many, and their total ms. */
  longTasks: number | null;
  longTaskMs: number | null;
  /** The longest chain of API requests one after the other, of those sent before the rows. */
  roundTrips: number;
  /** API requests sent before the rows. */
  apiRequests: number;
  /** Those requests: path, and start and end in ms from navigation start (Resource Timing). */
  api: { path: string; start: number; end: number }[];
  /** Bytes over the wire before the rows (Resource Timing transferSize, headers included). */
  transferBytes: number;
  /** V8 heap in use after a forced garbage collection, bytes. */
  heapBytes: number | null;
}

/**
 * When the rows of the page loading now are shown, as the init script's observer tells
 * through the `benchRowsShown` binding: a wait that runs nothing in the page. Polling with
 * waitForFunction would compile Playwright's injected script in the new document right after
 * its own script ran, 50–70 ms of main thread on the slow profile, between the page's script
 * and its first render: a cost of the harness, not of the page.
 */
export async function rowsWatcher(context: BrowserContext): Promise<() => Promise<void>> {
  let shown = () => {};
  await context.exposeBinding("benchRowsShown", () => shown());
  // The next rows shown from now on; rejects after 30 s.
  return () => {
    const next = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("No rows within 30 s.")), 30_000);
      shown = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    next.catch(() => undefined);
    return next;
  };
}

/**
 * One load of the list, timed inside the page (performance.now() is relative to the start of
 * the navigation). With `isFull`, also what needs rows + 1 s to be known (long tasks) and the
 * heap; without, only until the first contentful paint is reported. The page is left alone
 * until its rows show (`rows`, see rowsShown).
 */
export async function measureLoad(
  page: Page,
  cdp: CDPSession,
  nextRows: () => Promise<void>,
  navigate: () => Promise<unknown>,
  isFull: boolean,
): Promise<LoadResult> {
  const shown = nextRows();
  await navigate();
  await shown;
  await page.waitForFunction(
    (isFull) => {
      const rowsAt = ((window as unknown as BenchWindow).__bench as BenchState).rowsAt as number;
      const hasPaint = performance.getEntriesByName("first-contentful-paint").length > 0;
      return performance.now() >= rowsAt + 1_000 || (!isFull && hasPaint);
    },
    isFull,
    { timeout: 30_000, polling: 50 },
  );
  const seen = await page.evaluate(() => {
    const { rowsAt = 0, longTasks } = (window as unknown as BenchWindow).__bench as BenchState;
    const upTo = rowsAt + 1_000;
    const entries = [
      ...performance.getEntriesByType("navigation"),
      ...performance.getEntriesByType("resource"),
    ] as PerformanceResourceTiming[];
    const before = entries.filter((entry) => entry.startTime <= rowsAt);
    const tasks = longTasks.filter((task) => task.startTime <= upTo);
    return {
      rowsAt,
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
      longTasks: tasks.length,
      longTaskMs: tasks.reduce((sum, task) => sum + task.duration, 0),
      requests: before.map((entry) => ({
        path: new URL(entry.name).pathname,
        start: entry.startTime,
        end: entry.responseEnd,
        transferSize: entry.transferSize,
      })),
    };
  });
  let heapBytes: number | null = null;
  if (isFull) {
    await cdp.send("HeapProfiler.collectGarbage");
    heapBytes = (await cdp.send("Runtime.getHeapUsage")).usedSize;
  }
  const requests = seen.requests.map((r) => ({ method: "", ...r }));
  return {
    rowsMs: Math.round(seen.rowsAt),
    fcpMs: seen.fcp === null ? null : Math.round(seen.fcp),
    longTasks: isFull ? seen.longTasks : null,
    longTaskMs: isFull ? Math.round(seen.longTaskMs) : null,
    roundTrips: sequentialRoundTrips(requests),
    apiRequests: requests.filter((r) => isApi(r.path)).length,
    api: requests
      .filter((r) => isApi(r.path))
      .map((r) => ({ path: r.path, start: Math.round(r.start), end: Math.round(r.end) })),
    transferBytes: seen.requests.reduce((sum, r) => sum + r.transferSize, 0),
    heapBytes,
  };
}
