// `npm run bench`: measures what an admin waits for and downloads, against the production
// build and the embedded server, and writes bench/results.json and a readable table.
// `npm run bench -- --readme` also rewrites the Benchmark section of README.md with them.
// Everything runs on 127.0.0.1; every loop is bounded in count and time.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import {
  type Browser,
  type BrowserContext,
  type CDPSession,
  chromium,
  type Page,
} from "@playwright/test";
import { createApp } from "../server/app";
import { nodeListener } from "../server/node-listener";
import { openStore, type Store } from "../server/store";
import { DEFAULTS } from "../server/tls-strategy";

/** Where `npm run build` writes the page. */
const BUILD_DIR = "dist/client";
/**
 * What the bench serves and sizes: a private copy of BUILD_DIR taken at start (main), so a
 * build run meanwhile by someone else (tests rebuild dist/) cannot swap the files under it.
 */
let clientDir = BUILD_DIR;
const ADMIN_PASSWORD = "bench-password";
/** Measured runs per (profile, store size), after one warm-up run that is not counted. */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 9);
const SIZES = [2, 5_000];
const THROUGHPUT_SECONDS = 5;
const THROUGHPUT_CONCURRENCY = 8;
const LIST_PATH = "/settings/mta/outbound/tls-strategies";
/** The first strategy name link in the table (the selector time to rows waits for). */
const ROW_LINK = 'table a[href*="/tls-strategies/"]';
/** How long a user rests the mouse on a link before clicking it, ms. */
const HOVER_MS = 150;
const STORAGE_PREFIX = "stalwart-tls-strategies.";
const WRITE_README = process.argv.includes("--readme");

interface Profile {
  name: "unthrottled" | "slow";
  /** CDP Emulation.setCPUThrottlingRate: 4 = four times slower than this machine. */
  cpuRate: number;
  /** CDP Network.emulateNetworkConditions: latency in ms, throughputs in bytes/s. */
  network: { latency: number; downloadThroughput: number; uploadThroughput: number } | null;
}

const PROFILES: Profile[] = [
  { name: "unthrottled", cpuRate: 1, network: null },
  {
    name: "slow",
    cpuRate: 4,
    network: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 },
  },
];

interface Logged {
  method: string;
  path: string;
  start: number;
  end: number;
}

// --- 1. What the browser downloads -----------------------------------------------------------

interface Sized {
  /** "assets/index-BGv8UwKz.js", or "inline <style> 1" for what index.html holds itself. */
  file: string;
  /** Uncompressed, bytes. */
  bytes: number;
  /** As served to a browser that accepts brotli: the .br file beside it, bytes. */
  brotli: number;
  /** As served to a browser that accepts gzip only: the .gz file beside it, bytes. */
  gzip: number;
  /** Whether the build wrote the .br and .gz (else the bench compressed it, as the build should). */
  precompressed: boolean;
}

const brotli11 = (content: Buffer) =>
  brotliCompressSync(content, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });

const readIfThere = (path: string) => readFile(path).catch(() => null);

/** The attributes of one HTML start tag: `rel="modulepreload" href="/a.js"` → {rel, href}. */
const attributes = (tag: string) =>
  Object.fromEntries(
    [...tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((m) => [
      (m[1] as string).toLowerCase(),
      m[2] ?? "",
    ]),
  );

/**
 * Sizes as served: the initial JS+CSS is what index.html makes the browser fetch before the
 * page can run (scripts, module preloads, style sheets), plus the CSS and JS index.html holds
 * inline (brotli quality 11 and gzip 9 of it, as the HTML's own compression would roughly
 * cost); every other JS and CSS file is a lazy chunk.
 */
async function bundleSizes() {
  const html = await readFile(join(clientDir, "index.html"), "utf8");
  const initial = new Set<string>();
  const prefetched = new Set<string>();
  for (const tag of html.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const attrs = attributes(tag[2] as string);
    const url = (tag[1] as string).toLowerCase() === "script" ? attrs.src : attrs.href;
    const match = url ? /^\/(assets\/[^"?#]+\.(?:js|css))$/.exec(url) : null;
    if (!match) continue;
    const rel = (attrs.rel ?? "").toLowerCase();
    if (tag[1]?.toLowerCase() === "script" || /\b(modulepreload|stylesheet|preload)\b/.test(rel))
      initial.add(match[1] as string);
    else if (/\bprefetch\b/.test(rel)) prefetched.add(match[1] as string);
  }
  const files = (await readdir(join(clientDir, "assets"))).filter((f) => /\.(js|css)$/.test(f));
  const sized: Sized[] = await Promise.all(
    files.map(async (file) => {
      const path = join(clientDir, "assets", file);
      const content = await readFile(path);
      const [br, gz] = await Promise.all([readIfThere(`${path}.br`), readIfThere(`${path}.gz`)]);
      return {
        file: `assets/${file}`,
        bytes: content.length,
        brotli: (br ?? brotli11(content)).length,
        gzip: (gz ?? gzipSync(content, { level: 9 })).length,
        precompressed: br !== null && gz !== null,
      };
    }),
  );
  /** Code inline in the HTML, counted as the browser gets it (compressed with the page). */
  const inlineSized = (file: string, text: string): Sized => {
    const content = Buffer.from(text);
    return {
      file,
      bytes: content.length,
      brotli: brotli11(content).length,
      gzip: gzipSync(content, { level: 9 }).length,
      precompressed: false,
    };
  };
  const inlineStyles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)];
  const inlineScripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(
    (m) => !("src" in attributes(m[1] as string)) && (m[2] as string).trim() !== "",
  );
  const inline: Sized[] = [
    ...inlineStyles.map((m, index) => inlineSized(`inline <style> ${index + 1}`, m[1] as string)),
    ...inlineScripts.map((m, index) => inlineSized(`inline <script> ${index + 1}`, m[2] as string)),
  ];
  const initialFiles = [...sized.filter((f) => initial.has(f.file)), ...inline];
  return {
    initial: initialFiles,
    /** Bytes, brotli: what a current browser downloads before the page runs. */
    initialBrotli: initialFiles.reduce((sum, f) => sum + f.brotli, 0),
    /** Bytes, gzip, for browsers without brotli. */
    initialGzip: initialFiles.reduce((sum, f) => sum + f.gzip, 0),
    lazy: sized
      .filter((f) => !initial.has(f.file))
      .map((f) => ({ ...f, prefetched: prefetched.has(f.file) })),
  };
}

// --- 2. A server that counts ------------------------------------------------------------------

async function startServer(store: Store) {
  const log: Logged[] = [];
  const listener = nodeListener(createApp({ store, staticDir: clientDir }));
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const entry = {
      method: req.method ?? "",
      path: req.url ?? "",
      start: performance.now(),
      end: 0,
    };
    log.push(entry);
    res.on("finish", () => {
      entry.end = performance.now();
    });
    listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise((r) => {
        server.close(r);
        // Idle keep-alive connections of a browser would hold close() open.
        server.closeAllConnections();
      }),
  };
}

type Running = Awaited<ReturnType<typeof startServer>>;

async function seed(store: Store, count: number) {
  await store.transaction(({ strategies }, newId) => {
    for (const existing of [...strategies.keys()]) strategies.delete(existing);
    for (let i = 0; i < count; i += 1) {
      const id = newId();
      strategies.set(id, {
        id,
        name:
          count === 2
            ? i === 0
              ? "invalid-tls"
              : "default"
            : `strategy-${String(i).padStart(5, "0")}`,
        ...DEFAULTS,
        description: `Strategy number ${i}`,
      });
    }
  });
}

const isApi = (path: string) => /^\/(\.well-known\/|jmap|api)/.test(path);

/** The longest chain of API requests where each starts only after the one before it ended. */
function sequentialRoundTrips(requests: Logged[]): number {
  const api = requests.filter((r) => isApi(r.path)).sort((a, b) => a.start - b.start);
  const depth = new Map<Logged, number>();
  for (const request of api) {
    const before = api.filter(
      (other) => other !== request && other.end > 0 && other.end <= request.start,
    );
    depth.set(request, 1 + Math.max(0, ...before.map((other) => depth.get(other) ?? 0)));
  }
  return Math.max(0, ...depth.values());
}

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

/** Waits until the server has seen no new request for `quietMs` (at most 15 s). */
async function settle(log: Logged[], quietMs: number) {
  const deadline = Date.now() + 15_000;
  let seen = log.length;
  let quietSince = Date.now();
  while (Date.now() < deadline && Date.now() - quietSince < quietMs) {
    await new Promise((r) => setTimeout(r, 100));
    if (log.length !== seen) {
      seen = log.length;
      quietSince = Date.now();
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  const onFinished = (request: import("@playwright/test").Request) => {
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

/** How many requests of "save and apply" carried the /set and the reload together. */
let saveAndApply = { withBoth: 0, withReload: 0 };

/** Requests per user action, unthrottled, on a store of 120 strategies (5 pages of 25). */
async function requestsPerAction(browser: Browser, store: Store) {
  await seed(store, 120);
  const server = await startServer(store);
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
    // Save and apply: the /set and the settings reload travel in one request (issue 8).
    await rows.first().click();
    await page.getByLabel("Description", { exact: true }).waitFor();
    const posted: string[] = [];
    const onRequest = (request: import("@playwright/test").Request) => {
      if (request.method() === "POST") posted.push(request.postData() ?? "");
    };
    page.on("request", onRequest);
    results["save and apply"] = await counted(server.log, async () => {
      await page.getByLabel("Description", { exact: true }).fill("Applied by the benchmark");
      await page.getByRole("button", { name: "Save and apply" }).click();
      await page.getByRole("status").filter({ hasText: "Applied" }).waitFor();
    });
    page.off("request", onRequest);
    saveAndApply = {
      withBoth: posted.filter(
        (body) => body.includes("x:MtaTlsStrategy/set") && body.includes("x:Action/set"),
      ).length,
      withReload: posted.filter((body) => body.includes("x:Action/set")).length,
    };
    await rows.first().click();
    await page.getByRole("button", { name: "Delete" }).waitFor();
    results["delete one"] = await counted(server.log, async () => {
      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
      await page.getByRole("status").filter({ hasText: "Deleted" }).waitFor();
    });
    await page.getByLabel("Rows per page").selectOption("50");
    await page.getByText("Showing 1–50").waitFor();
    await page.getByRole("checkbox", { name: "Select all strategies on this page" }).check();
    results["bulk delete 50"] = await counted(server.log, async () => {
      await page.getByRole("button", { name: "Delete selected (50)" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
      await page.getByRole("status").filter({ hasText: "Deleted 50 strategies." }).waitFor();
    });
    await page.context().close();
    return results;
  } finally {
    await server.close();
  }
}

// --- 3. Assets as the server sends them -----------------------------------------------------------

/** One GET with `Accept-Encoding: encoding`; the body as it came over the wire (not decoded). */
function rawGet(url: string, encoding: string) {
  return new Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }>(
    (resolve, reject) => {
      const req = httpRequest(url, { headers: { "Accept-Encoding": encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on("error", reject);
      });
      req.on("error", reject);
      req.setTimeout(10_000, () => req.destroy(new Error(`${url}: no answer in 10 s`)));
      req.end();
    },
  );
}

/**
 * Every JS, CSS and SVG asset asked for with `Accept-Encoding: br` (and then `gzip`): whether
 * the answer says `Content-Encoding: br` and carries exactly the bytes of the .br file the
 * build wrote (else the server compressed it again, or not at all), with a `Cache-Control`
 * that says `immutable`. And index.html, as the server sends it to a browser accepting both.
 */
async function precompressedAssets(store: Store) {
  const server = await startServer(store);
  try {
    const files = (await readdir(join(clientDir, "assets"))).filter((f) =>
      /\.(js|css|svg)$/.test(f),
    );
    const assets = [];
    for (const file of files) {
      const path = join(clientDir, "assets", file);
      const [br, gz] = await Promise.all([readIfThere(`${path}.br`), readIfThere(`${path}.gz`)]);
      const asBrotli = await rawGet(`${server.origin}/assets/${file}`, "br");
      const asGzip = await rawGet(`${server.origin}/assets/${file}`, "gzip");
      assets.push({
        file: `assets/${file}`,
        status: asBrotli.status,
        contentEncoding: asBrotli.headers["content-encoding"] ?? null,
        cacheControl: asBrotli.headers["cache-control"] ?? null,
        bytesOfBrFile: br !== null && asBrotli.body.equals(br),
        gzipBytesOfGzFile:
          gz !== null && asGzip.headers["content-encoding"] === "gzip" && asGzip.body.equals(gz),
      });
    }
    const index = await rawGet(`${server.origin}${LIST_PATH}`, "br, gzip");
    return {
      assets,
      /** Every asset: br, the .br file's bytes, immutable. */
      isPrecompressed:
        assets.length > 0 &&
        assets.every(
          (a) =>
            a.status === 200 &&
            a.contentEncoding === "br" &&
            a.bytesOfBrFile &&
            (a.cacheControl ?? "").includes("immutable"),
        ),
      indexHtml: {
        bytesOverTheWire: index.body.length,
        contentEncoding: index.headers["content-encoding"] ?? null,
      },
    };
  } finally {
    await server.close();
  }
}

// --- 4. Timings in the browser, two profiles, interleaved ---------------------------------------

/** What the init script keeps in each document, in ms from the start of its navigation. */
interface BenchState {
  /** When the first strategy name link was in the table's DOM. */
  rowsAt?: number;
  longTasks: { startTime: number; duration: number }[];
  /** `timeStamp` of the last pointerdown and click events (capturing, on window). */
  pointerDownAt?: number;
  clickAt?: number;
  /** When each watch's condition first held. */
  marks: Record<string, number>;
  /** The first text with "Loading" a watch saw added while it waited, if any. */
  sawLoading: Record<string, string>;
  /** Whether a watch saw its row with another description before the expected one. */
  sawStale: Record<string, boolean>;
  /** Until the edit form's Name and Description fields hold these values. */
  watchForm: (name: string, description: string) => void;
  /** Until the list row of `name` shows `description`. */
  watchRow: (name: string, description: string) => void;
}

/**
 * The page's state, for functions that run in the page (serialized: they cannot call a
 * helper of this file).
 */
type BenchWindow = { __bench?: BenchState };

/**
 * Runs before any script of each document: a fresh tab (no credentials yet) gets only the
 * credentials sign-in leaves, and nothing else this page keeps in sessionStorage (no cached
 * session); a reloaded tab keeps what it had. Then the observers the measures read.
 */
function benchInit({
  password,
  rowLink,
  prefix,
}: {
  password: string;
  rowLink: string;
  prefix: string;
}) {
  const credentialsKey = `${prefix}credentials`;
  if (!sessionStorage.getItem(credentialsKey)) {
    for (const key of Object.keys(sessionStorage))
      if (key.startsWith(prefix)) sessionStorage.removeItem(key);
    sessionStorage.setItem(
      credentialsKey,
      JSON.stringify({ kind: "basic", username: "admin", password }),
    );
  }
  const state: Omit<BenchState, "watchForm" | "watchRow"> = {
    longTasks: [],
    marks: {},
    sawLoading: {},
    sawStale: {},
  };
  new MutationObserver((_, observer) => {
    if (document.querySelector(rowLink)) {
      state.rowsAt = performance.now();
      observer.disconnect();
      // Tells the bench without it polling the page (measureLoad).
      (window as unknown as { benchRowsShown?: () => void }).benchRowsShown?.();
    }
  }).observe(document, { childList: true, subtree: true });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        state.longTasks.push({ startTime: entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {
    // No Long Tasks API: no long tasks are counted.
  }
  addEventListener(
    "pointerdown",
    (event) => {
      state.pointerDownAt = event.timeStamp;
    },
    true,
  );
  addEventListener(
    "click",
    (event) => {
      state.clickAt = event.timeStamp;
    },
    true,
  );
  /**
   * Records when `check` first holds: checked on every batch of DOM mutations, and in a
   * setTimeout(0) loop for values that change without a mutation (an input's .value). Gives
   * up after 30 s.
   */
  const watch = (key: string, check: () => boolean) => {
    delete state.marks[key];
    delete state.sawLoading[key];
    delete state.sawStale[key];
    const until = performance.now() + 30_000;
    let isDone = false;
    const finish = () => {
      if (isDone) return;
      if (check()) {
        state.marks[key] = performance.now();
        isDone = true;
        observer.disconnect();
      } else if (performance.now() > until) {
        isDone = true;
        observer.disconnect();
      }
    };
    const observer = new MutationObserver((records) => {
      if (!(key in state.sawLoading)) {
        for (const record of records)
          for (const node of record.addedNodes) {
            const text = node.textContent ?? "";
            if (text.includes("Loading")) state.sawLoading[key] = text.trim().slice(0, 80);
          }
      }
      finish();
    });
    observer.observe(document, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
    });
    const poll = () => {
      finish();
      if (!isDone) setTimeout(poll, 0);
    };
    setTimeout(poll, 0);
  };
  /** The control of the label that reads exactly `text`, as getByLabel(text, {exact}) finds. */
  const fieldValue = (text: string) => {
    for (const label of document.querySelectorAll("label")) {
      if (label.textContent?.trim() !== text) continue;
      const control = label.control;
      if (control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement)
        return control.value;
    }
    return undefined;
  };
  (window as unknown as BenchWindow).__bench = Object.assign(state, {
    watchForm: (name: string, description: string) =>
      watch("form", () => fieldValue("Name") === name && fieldValue("Description") === description),
    watchRow: (name: string, description: string) =>
      watch("row", () => {
        for (const link of document.querySelectorAll(rowLink)) {
          if (link.textContent?.trim() !== name && link.getAttribute("title") !== name) continue;
          if (link.closest("tr")?.textContent?.includes(description)) return true;
          state.sawStale.row = true;
        }
        return false;
      }),
  });
}

interface LoadResult {
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
async function rowsWatcher(context: BrowserContext): Promise<() => Promise<void>> {
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
async function measureLoad(
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

/** Waits for a watch of the init script to see its condition; gives its time, ms. */
async function markOf(page: Page, key: string) {
  await page.waitForFunction(
    (key) => ((window as unknown as BenchWindow).__bench as BenchState).marks[key] !== undefined,
    key,
    {
      timeout: 30_000,
      polling: 50,
    },
  );
  return page.evaluate((key) => {
    const state = (window as unknown as BenchWindow).__bench as BenchState;
    return {
      at: state.marks[key] as number,
      clickAt: state.clickAt ?? Number.NaN,
      loading: state.sawLoading[key] ?? null,
      stale: state.sawStale[key] === true,
    };
  }, key);
}

interface Known {
  name: string;
  description: string;
}

/**
 * Click → form as a user does it: the mouse rests on the strategy's name link for 150 ms,
 * then clicks. From the click event's timeStamp until the edit form's Name field holds the
 * name and its Description field the stored description, ms; and the requests the server
 * received from the hover until then (+ 300 ms).
 */
async function clickToForm(page: Page, server: Running, known: Known) {
  const from = server.log.length;
  const link = page.getByRole("table").getByRole("link", { name: known.name, exact: true });
  await link.hover();
  await sleep(HOVER_MS);
  await page.evaluate(
    ([name, description]) =>
      ((window as unknown as BenchWindow).__bench as BenchState).watchForm(name, description),
    [known.name, known.description] as const,
  );
  const beforeClick = server.log.length - from;
  await link.click();
  const seen = await markOf(page, "form");
  await sleep(300);
  const requests = server.log.slice(from);
  return {
    ms: Math.round(seen.at - seen.clickAt),
    requests: requests.length,
    /** Of those, the ones that reached the server while the mouse rested on the link. */
    beforeClick,
    paths: requests.map((r) => `${r.method} ${r.path}`),
    loadingShown: seen.loading,
  };
}

/**
 * Save → list: on the open edit form, a new description, then a click on "Save". From the
 * click event's timeStamp until the list row of that strategy shows the new description,
 * ms; and the requests the page sent from the click until then (+ 300 ms), in the order it
 * sent them: the first API request is the re-read; what follows it should be one request.
 */
async function saveToList(page: Page, known: Known, description: string) {
  await page.getByLabel("Description", { exact: true }).fill(description);
  const sent: string[] = [];
  const onRequest = (request: import("@playwright/test").Request) =>
    sent.push(`${request.method()} ${new URL(request.url()).pathname}`);
  page.on("request", onRequest);
  try {
    await page.evaluate(
      ([name, description]) =>
        ((window as unknown as BenchWindow).__bench as BenchState).watchRow(name, description),
      [known.name, description] as const,
    );
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const seen = await markOf(page, "row");
    await sleep(300);
    const reread = sent.findIndex((r) => isApi(r.split(" ")[1] ?? ""));
    return {
      ms: Math.round(seen.at - seen.clickAt),
      requests: sent.length,
      afterReread: reread < 0 ? sent.length : sent.length - reread - 1,
      paths: [...sent],
      loadingShown: seen.loading,
      staleShown: seen.stale,
    };
  } finally {
    page.off("request", onRequest);
  }
}

interface SizeUnderTest {
  strategies: number;
  store: Store;
  server: Running;
  /** The strategy whose link is clicked: on the first page of the list, sorted by name. */
  knownName: string;
}

type RunResult = {
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
async function browserTimings(browser: Browser) {
  const sizes: SizeUnderTest[] = await Promise.all(
    SIZES.map(async (strategies) => {
      const { store } = await openStore({ dataDir: null, adminPassword: ADMIN_PASSWORD });
      await seed(store, strategies);
      return {
        strategies,
        store,
        server: await startServer(store),
        knownName: strategies === 2 ? "default" : "strategy-00002",
      };
    }),
  );
  const runs: RunResult[] = [];
  const failures: { run: number; strategies: number; profile: string; error: string }[] = [];
  try {
    const started = performance.now();
    for (let run = 0; run <= RUNS; run += 1) {
      for (const size of sizes) {
        for (const profile of run === 0 ? PROFILES.slice(0, 1) : PROFILES) {
          try {
            const result = await measureRun(browser, size, profile, run);
            if (run > 0) runs.push(result);
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
        `browser timings: run ${run} of ${RUNS} done${run === 0 ? " (warm-up)" : ""}, ${Math.round((performance.now() - started) / 1000)} s`,
      );
    }
    return { runs, failures };
  } finally {
    await Promise.all(sizes.map(({ server }) => server.close()));
  }
}

// --- 5. Server throughput ------------------------------------------------------------------------

/** A load generator in a child process, so it does not share the server's event loop. */
const LOAD_SCRIPT = `
const [url, auth, seconds, concurrency] = process.argv.slice(1);
const body = JSON.stringify({ using: ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"], methodCalls: [
  ["x:MtaTlsStrategy/query", { sort: [{ property: "name", isAscending: true }], position: 0, limit: 25, calculateTotal: true }, "q"],
  ["x:MtaTlsStrategy/get", { "#ids": { resultOf: "q", name: "x:MtaTlsStrategy/query", path: "/ids" } }, "g"],
] });
const until = Date.now() + Number(seconds) * 1000;
let done = 0, failed = 0;
const latencies = [];
async function worker() {
  while (Date.now() < until) {
    const start = performance.now();
    const response = await fetch(url, { method: "POST", headers: { Authorization: auth, "Content-Type": "application/json" }, body });
    const json = await response.json();
    if (response.ok && json.methodResponses[1][1].list.length === 25) done++; else failed++;
    latencies.push(performance.now() - start);
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
latencies.sort((a, b) => a - b);
console.log(JSON.stringify({ done, failed, p50: latencies[Math.floor(latencies.length / 2)], p99: latencies[Math.floor(latencies.length * 0.99)] }));
`;

async function throughput(store: Store) {
  await seed(store, 5_000);
  const server = await startServer(store);
  try {
    const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`;
    const child = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        LOAD_SCRIPT,
        `${server.origin}/jmap/`,
        auth,
        String(THROUGHPUT_SECONDS),
        String(THROUGHPUT_CONCURRENCY),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    if (code !== 0) throw new Error(`The load generator failed (${code}).`);
    const result = JSON.parse(output) as { done: number; failed: number; p50: number; p99: number };
    return {
      strategies: 5_000,
      seconds: THROUGHPUT_SECONDS,
      concurrency: THROUGHPUT_CONCURRENCY,
      requestsPerSecond: Math.round(result.done / THROUGHPUT_SECONDS),
      failed: result.failed,
      p50Ms: Number(result.p50.toFixed(1)),
      p99Ms: Number(result.p99.toFixed(1)),
    };
  } finally {
    await server.close();
  }
}

// --- 6. Saves while someone guesses passwords ---------------------------------------------------

/**
 * Wrong passwords from a child process: `attempts` over `concurrency` connections, each from
 * 127.0.0.1, or each from an address of its own in 127.0.0.0/8 (a spread-out attack that
 * per-address limits do not stop, so every attempt costs a password hash).
 */
const ATTACK_SCRIPT = `
import { request } from "node:http";
const [host, port, attempts, concurrency, spread] = process.argv.slice(1);
const counts = {};
let next = 0;
const attempt = (i) => new Promise((resolve) => {
  const localAddress = spread === "1" ? "127.0." + (1 + Math.floor(i / 250)) + "." + (1 + (i % 250)) : "127.0.0.1";
  const req = request({ host, port: Number(port), path: "/jmap/", method: "POST", localAddress,
    headers: { Authorization: "Basic " + Buffer.from("admin:wrong-" + i).toString("base64"), "Content-Type": "application/json" } },
    (res) => { res.resume(); res.on("end", () => { counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1; resolve(); }); });
  req.on("error", () => { counts.error = (counts.error ?? 0) + 1; resolve(); });
  req.end('{"using":[],"methodCalls":[]}');
});
const worker = async () => { while (next < Number(attempts)) await attempt(next++); };
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
console.log(JSON.stringify(counts));
`;

const ATTACK_ATTEMPTS = 1_000;
const ATTACK_CONCURRENCY = 8;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
};

/**
 * An admin's save (an update, written to disk) timed while idle, and while 1,000 wrong
 * passwords arrive over 8 connections, from one address and from 1,000 addresses.
 */
async function saveUnderAttack() {
  const dataDir = await mkdtemp(join(tmpdir(), "bench-attack-"));
  const { store } = await openStore({ dataDir, adminPassword: ADMIN_PASSWORD });
  const server = await startServer(store);
  const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`;
  const [id] = [...store.strategies.keys()];
  let counter = 0;
  const save = async () => {
    counter += 1;
    const start = performance.now();
    const response = await fetch(`${server.origin}/jmap/`, {
      method: "POST",
      headers: { Authorization: auth, "Content-Type": "application/json" },
      body: JSON.stringify({
        using: ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"],
        methodCalls: [
          [
            "x:MtaTlsStrategy/set",
            { update: { [id as string]: { description: `Save ${counter}` } } },
            "s",
          ],
        ],
      }),
    });
    await response.json();
    if (!response.ok) throw new Error(`A save failed: ${response.status}`);
    return performance.now() - start;
  };
  const timeSaves = async (isDone: () => boolean, at_most: number) => {
    const times: number[] = [];
    while (times.length < at_most && !isDone()) times.push(await save());
    return times;
  };
  try {
    await save(); // signs in once; later saves use the remembered credentials
    const idle = await timeSaves(() => false, 40);
    const attacked = async (spread: boolean) => {
      const { port } = new URL(server.origin);
      const child = spawn(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          ATTACK_SCRIPT,
          "127.0.0.1",
          port,
          String(ATTACK_ATTEMPTS),
          String(ATTACK_CONCURRENCY),
          spread ? "1" : "0",
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      let isDone = false;
      const exited = new Promise<number | null>((resolve) =>
        child.on("exit", (code) => {
          isDone = true;
          resolve(code);
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
      const started = performance.now();
      const times = await timeSaves(() => isDone, 200);
      const code = await exited;
      if (code !== 0) throw new Error(`The attack script failed (${code}).`);
      return {
        saves: times.length,
        p50Ms: Number(percentile(times, 0.5).toFixed(1)),
        p99Ms: Number(percentile(times, 0.99).toFixed(1)),
        attackSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        answers: JSON.parse(output) as Record<string, number>,
      };
    };
    return {
      idle: {
        saves: idle.length,
        p50Ms: Number(percentile(idle, 0.5).toFixed(1)),
        p99Ms: Number(percentile(idle, 0.99).toFixed(1)),
      },
      oneAddress: await attacked(false),
      manyAddresses: await attacked(true),
    };
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// --- Report ---------------------------------------------------------------------------------------

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Median, min and max of the runs that have the value; null when none has it. */
function summarize(values: (number | null)[]): Summary | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return null;
  return {
    median: median(known),
    min: Math.min(...known),
    max: Math.max(...known),
    runs: known.length,
  };
}

/** "412 ms (min 380, max 530, 9 runs)"; `scale` divides every value (bytes → MB). */
function shown(summary: Summary | null, unit = " ms", { scale = 1, digits = 0 } = {}) {
  if (!summary) return "no run measured it";
  const n = (value: number) => (value / scale).toFixed(digits);
  return `${n(summary.median)}${unit} (min ${n(summary.min)}, max ${n(summary.max)}, ${summary.runs} run${summary.runs === 1 ? "" : "s"})`;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
/** "assets/tls-strategy-form-rLJK24Xu.js" → "tls-strategy-form.js" */
const chunkName = (file: string) =>
  file.replace(/^assets\//, "").replace(/-[\w-]{8}\.(js|css)$/, ".$1");
const strategiesLabel = (count: number) =>
  `${count.toLocaleString("en")} ${count === 1 ? "strategy" : "strategies"}`;

/**
 * A copy of the build in a private directory, once index.html and every asset it names are
 * there together (a build running elsewhere may be half written: tried again, 5 times, 2 s
 * apart).
 */
async function snapshotOfBuild(): Promise<string> {
  if (!existsSync(join(BUILD_DIR, "index.html"))) throw new Error("Run `npm run build` first.");
  for (let attempt = 1; ; attempt += 1) {
    const dir = await mkdtemp(join(tmpdir(), "bench-client-"));
    await cp(BUILD_DIR, dir, { recursive: true });
    const html = await readFile(join(dir, "index.html"), "utf8").catch(() => "");
    const named = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    if (html && named.every((asset) => existsSync(join(dir, asset)))) return dir;
    await rm(dir, { recursive: true, force: true });
    if (attempt === 5) throw new Error(`${BUILD_DIR} stays incomplete: is a build running?`);
    await sleep(2_000);
  }
}

const README_START = "<!-- bench:start -->";
const README_END = "<!-- bench:end -->";

/** Replaces what README.md holds between its bench markers (the markers stay). */
async function updateReadme(block: string) {
  const readme = await readFile("README.md", "utf8");
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start)
    throw new Error(`README.md has no ${README_START} … ${README_END} section.`);
  await writeFile(
    "README.md",
    `${readme.slice(0, start + README_START.length)}\n${block}\n${readme.slice(end)}`,
  );
}

async function main() {
  const startedAt = performance.now();
  clientDir = await snapshotOfBuild();
  const executablePath =
    process.env.CHROMIUM_PATH ||
    (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const { store } = await openStore({ dataDir: null, adminPassword: ADMIN_PASSWORD });
  try {
    const bundle = await bundleSizes();
    const served = await precompressedAssets(store);
    const actions = await requestsPerAction(browser, store);
    const timings = await browserTimings(browser);
    const server = await throughput(store);
    const attack = await saveUnderAttack();

    const cell = (profile: Profile["name"], strategies: number) =>
      timings.runs.filter((r) => r.profile === profile && r.strategies === strategies);
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
    const everyRun = (check: (run: RunResult) => boolean) =>
      timings.runs.length > 0 && timings.runs.every(check);
    const cold = actions["cold load of the list"];
    const targets: Record<string, boolean> = {
      "initial JS+CSS ≤ 95 KB brotli": bundle.initialBrotli <= 95 * 1024,
      "assets served precompressed (Accept-Encoding: br → Content-Encoding: br, the .br file's bytes, Cache-Control immutable)":
        served.isPrecompressed,
      "known-session reload: 1 sequential API round trip (every run)": everyRun(
        (r) => r.knownSession.roundTrips === 1,
      ),
      "first load: ≤ 2 sequential API round trips (every run)": everyRun(
        (r) => r.firstLoad.roundTrips <= 2,
      ),
      "cold load ≤ 8 HTTP requests": (cold?.requests ?? 99) <= 8,
      "1 request per list page": actions["next page"]?.requests === 1,
      "1 request per edit form open": actions["open an edit form"]?.requests === 1,
      "save an edit: at most 2 requests (re-read, then update + list)":
        (actions["save an edit"]?.requests ?? 99) <= 2,
      "save → list: ≤ 1 request after the re-read (every run)": everyRun(
        (r) => r.saveToList.afterReread <= 1,
      ),
      "save and apply: the save and the settings reload in 1 request":
        saveAndApply.withBoth === 1 && saveAndApply.withReload === 1,
      "1 request per delete": actions["delete one"]?.requests === 1,
      "1 request per bulk delete": actions["bulk delete 50"]?.requests === 1,
      ...Object.fromEntries(
        PROFILES.map(({ name }) => [
          `time to rows (known session), ${name}: median at ${large.toLocaleString("en")} ≤ 1.2 × median at ${small}`,
          (spreads[name] as number) <= 1.2,
        ]),
      ),
      ...Object.fromEntries(
        SIZES.flatMap((count) => [
          [
            `click → form ≤ 50 ms, unthrottled median, ${strategiesLabel(count)}`,
            medianOf("unthrottled", count, (r) => r.clickToForm.ms) <= 50,
          ],
          [
            `first paint ≤ 800 ms, slow profile median (known session), ${strategiesLabel(count)}`,
            medianOf("slow", count, (r) => r.knownSession.fcpMs) <= 800,
          ],
          [
            `time to rows ≤ 1,300 ms, slow profile median (known session), ${strategiesLabel(count)}`,
            medianOf("slow", count, rowsKnown) <= 1_300,
          ],
        ]),
      ),
      [`every browser run completed (${timings.failures.length} of ${timings.runs.length + timings.failures.length} failed)`]:
        timings.failures.length === 0,
      "a save's p50 under 1,000 wrong passwords (one address) within 3× idle":
        attack.oneAddress.p50Ms <= 3 * attack.idle.p50Ms,
      "a save's p50 under 1,000 wrong passwords (1,000 addresses) within 3× idle":
        attack.manyAddresses.p50Ms <= 3 * attack.idle.p50Ms,
    };

    const timingRows: string[] = [];
    const each = (measure: string, result: (profile: Profile["name"], count: number) => string) => {
      for (const { name } of PROFILES)
        for (const count of SIZES)
          timingRows.push(
            `| ${measure}, ${name}, ${strategiesLabel(count)} | ${result(name, count)} |`,
          );
    };
    const inRuns = (profile: Profile["name"], count: number, has: (run: RunResult) => boolean) =>
      `${cell(profile, count).filter(has).length} of ${cell(profile, count).length} runs`;
    each("time to rows, known session", (p, n) => shown(stat(p, n, rowsKnown)));
    each("time to rows, first load", (p, n) => shown(stat(p, n, (r) => r.firstLoad.rowsMs)));
    each("first contentful paint, known session", (p, n) =>
      shown(stat(p, n, (r) => r.knownSession.fcpMs)),
    );
    each(
      "long tasks to rows + 1 s, known session",
      (p, n) =>
        `${shown(
          stat(p, n, (r) => r.knownSession.longTasks),
          "",
        )}; ${shown(
          stat(p, n, (r) => r.knownSession.longTaskMs),
          " ms in all",
        )}`,
    );
    each("JS heap after load (after GC), known session", (p, n) =>
      shown(
        stat(p, n, (r) => r.knownSession.heapBytes),
        " MB",
        { scale: 1024 * 1024, digits: 1 },
      ),
    );
    each(
      "sequential API round trips to the rows, known session / first load",
      (p, n) =>
        `${shown(
          stat(p, n, (r) => r.knownSession.roundTrips),
          "",
        )} / ${shown(
          stat(p, n, (r) => r.firstLoad.roundTrips),
          "",
        )}`,
    );
    each(
      `click → form (mouse on the link ${HOVER_MS} ms, then click)`,
      (p, n) =>
        `${shown(stat(p, n, (r) => r.clickToForm.ms))}; requests from the hover: ${shown(
          stat(p, n, (r) => r.clickToForm.requests),
          "",
        )}, of them before the click ${shown(
          stat(p, n, (r) => r.clickToForm.beforeClick),
          "",
        )}; "Loading" text shown in ${inRuns(p, n, (r) => r.clickToForm.loadingShown !== null)}`,
    );
    each(
      "save → list (click on Save until the row shows the new description)",
      (p, n) =>
        `${shown(stat(p, n, (r) => r.saveToList.ms))}; requests: ${shown(
          stat(p, n, (r) => r.saveToList.requests),
          "",
        )}, after the re-read ${shown(
          stat(p, n, (r) => r.saveToList.afterReread),
          "",
        )}; the old description shown first in ${inRuns(p, n, (r) => r.saveToList.staleShown)}`,
    );

    const transfer = (count: number) =>
      stat("unthrottled", count, (r) => r.firstLoad.transferBytes)?.median ?? Number.NaN;
    const lines = [
      "| measure | result |",
      "|---|---|",
      `| initial JS+CSS as served | ${kb(bundle.initialBrotli)} brotli, ${kb(bundle.initialGzip)} gzip (${bundle.initial.map((f) => `${chunkName(f.file)} ${kb(f.brotli)} / ${kb(f.gzip)}`).join(", ")}) |`,
      `| lazy chunks (brotli / gzip) | ${bundle.lazy
        .map(
          (f) =>
            `${chunkName(f.file)} ${kb(f.brotli)} / ${kb(f.gzip)}${f.prefetched ? " (prefetched)" : ""}`,
        )
        .join(", ")} |`,
      `| assets served precompressed | ${served.assets.filter((a) => a.contentEncoding === "br" && a.bytesOfBrFile).length} of ${served.assets.length} answer \`Accept-Encoding: br\` with the .br file's bytes, ${served.assets.filter((a) => (a.cacheControl ?? "").includes("immutable")).length} with \`immutable\`; ${served.assets.filter((a) => a.gzipBytesOfGzFile).length} answer \`gzip\` with the .gz file's bytes; index.html ${kb(served.indexHtml.bytesOverTheWire)} (${served.indexHtml.contentEncoding ?? "not compressed"}) |`,
      `| bytes over the wire before the rows, first load, unthrottled (median) | ${SIZES.map((n) => `${strategiesLabel(n)}: ${kb(transfer(n))}`).join(", ")} |`,
      ...Object.entries(actions).map(
        ([name, r]) =>
          `| HTTP requests: ${name} | ${r.requests} (${r.api} API${name.startsWith("cold") ? `, ${r.roundTrips} sequential API round trips` : ""}${name === "save and apply" ? `; the save and the reload in ${saveAndApply.withBoth} request` : ""}) |`,
      ),
      ...timingRows,
      ...PROFILES.map(
        ({ name }) =>
          `| time to rows (known session), ${name}: median at ${large.toLocaleString("en")} vs ${small} | ${((spreads[name] as number) * 100 - 100 >= 0 ? "+" : "") + ((spreads[name] as number) * 100 - 100).toFixed(1)} % |`,
      ),
      `| server: list request (query+get of 25), 5,000 strategies | ${server.requestsPerSecond} req/s, p50 ${server.p50Ms} ms, p99 ${server.p99Ms} ms (${server.concurrency} connections, ${server.seconds} s, ${server.failed} failed) |`,
      `| server: a save (update, on disk), idle | p50 ${attack.idle.p50Ms} ms, p99 ${attack.idle.p99Ms} ms (${attack.idle.saves} saves) |`,
      `| server: a save during 1,000 wrong passwords from one address | p50 ${attack.oneAddress.p50Ms} ms, p99 ${attack.oneAddress.p99Ms} ms (${attack.oneAddress.saves} saves; answers ${JSON.stringify(attack.oneAddress.answers)}) |`,
      `| server: a save during 1,000 wrong passwords from 1,000 addresses | p50 ${attack.manyAddresses.p50Ms} ms, p99 ${attack.manyAddresses.p99Ms} ms (${attack.manyAddresses.saves} saves; answers ${JSON.stringify(attack.manyAddresses.answers)}) |`,
    ];
    const targetLines = Object.entries(targets).map(
      ([target, isMet]) => `  ${isMet ? "met    " : "MISSED "} ${target}`,
    );
    const wallSeconds = Math.round((performance.now() - startedAt) / 1000);
    const cores = cpus();
    const machine = `Measured ${new Date().toISOString().slice(0, 10)} on ${cores.length} cores (${cores[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}, Chromium ${browser.version()}; ${RUNS} runs per profile and size, interleaved; ${wallSeconds} s in all.`;

    const results = {
      measuredAt: new Date().toISOString(),
      machine: {
        cores: cores.length,
        cpu: cores[0]?.model.trim() ?? null,
        node: process.version,
        chromium: browser.version(),
      },
      wallSeconds,
      bundle,
      precompressed: served,
      requestsPerAction: actions,
      saveAndApply,
      browserTimings: {
        profiles: PROFILES,
        sizes: SIZES,
        runsPerCase: RUNS,
        hoverMs: HOVER_MS,
        summary: Object.fromEntries(
          PROFILES.flatMap(({ name }) =>
            SIZES.map((count) => [
              `${name}, ${count}`,
              {
                timeToRowsKnownSessionMs: stat(name, count, rowsKnown),
                timeToRowsFirstLoadMs: stat(name, count, (r) => r.firstLoad.rowsMs),
                firstContentfulPaintMs: stat(name, count, (r) => r.knownSession.fcpMs),
                longTasks: stat(name, count, (r) => r.knownSession.longTasks),
                longTaskMs: stat(name, count, (r) => r.knownSession.longTaskMs),
                heapBytes: stat(name, count, (r) => r.knownSession.heapBytes),
                roundTripsKnownSession: stat(name, count, (r) => r.knownSession.roundTrips),
                roundTripsFirstLoad: stat(name, count, (r) => r.firstLoad.roundTrips),
                clickToFormMs: stat(name, count, (r) => r.clickToForm.ms),
                clickToFormRequests: stat(name, count, (r) => r.clickToForm.requests),
                clickToFormRequestsBeforeClick: stat(name, count, (r) => r.clickToForm.beforeClick),
                saveToListMs: stat(name, count, (r) => r.saveToList.ms),
                saveToListRequests: stat(name, count, (r) => r.saveToList.requests),
                saveRequestsAfterReread: stat(name, count, (r) => r.saveToList.afterReread),
              },
            ]),
          ),
        ),
        timeToRowsRatio: spreads,
        runs: timings.runs,
        failures: timings.failures,
      },
      serverThroughput: server,
      saveUnderAttack: attack,
      targets,
    };
    await writeFile("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);

    console.log(lines.join("\n"));
    console.log("\nTargets:");
    console.log(targetLines.join("\n"));
    console.log(`\n${machine}`);
    console.log("Written to bench/results.json");
    if (WRITE_README) {
      await updateReadme(
        [machine, "", ...lines, "", "Targets:", "", "```", ...targetLines, "```"].join("\n"),
      );
      console.log("README.md: the Benchmark section rewritten");
    }
  } finally {
    await browser.close();
    await rm(clientDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
