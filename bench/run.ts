// `npm run bench`: measures what an admin waits for and downloads, against the production
// build and the embedded server, and writes bench/results.json and a readable table.
// Everything runs on 127.0.0.1; every loop is bounded in count and time.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type Browser, chromium, type Page } from "@playwright/test";
import { createApp } from "../server/app";
import { nodeListener } from "../server/node-listener";
import { openStore, type Store } from "../server/store";
import { DEFAULTS } from "../server/tls-strategy";

const CLIENT_DIR = "dist/client";
const ADMIN_PASSWORD = "bench-password";
const RUNS = 11;
const SIZES = [2, 1_000, 5_000];
const THROUGHPUT_SECONDS = 5;
const THROUGHPUT_CONCURRENCY = 8;
const LIST_PATH = "/settings/mta/outbound/tls-strategies";

interface Logged {
  method: string;
  path: string;
  start: number;
  end: number;
}

// --- 1. What the browser downloads -----------------------------------------------------------

async function bundleSizes() {
  const html = await readFile(join(CLIENT_DIR, "index.html"), "utf8");
  const initial = new Set(
    [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(
      (match) => match[1] as string,
    ),
  );
  const files = (await readdir(join(CLIENT_DIR, "assets"))).filter((f) => /\.(js|css)$/.test(f));
  const sized = await Promise.all(
    files.map(async (file) => {
      const content = await readFile(join(CLIENT_DIR, "assets", file));
      return {
        file: `assets/${file}`,
        bytes: content.length,
        gzip: gzipSync(content, { level: 9 }).length,
      };
    }),
  );
  const initialFiles = sized.filter((f) => initial.has(f.file));
  return {
    initial: initialFiles,
    initialGzip: initialFiles.reduce((sum, f) => sum + f.gzip, 0),
    lazy: sized.filter((f) => !initial.has(f.file)),
  };
}

// --- 2. A server that counts ------------------------------------------------------------------

async function startServer(store: Store) {
  const log: Logged[] = [];
  const listener = nodeListener(createApp({ store, staticDir: CLIENT_DIR }));
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
    close: () => new Promise((r) => server.close(r)),
  };
}

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
  if (settleFirst) await settle(log, 2_500);
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
  await new Promise((r) => setTimeout(r, 300));
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

// --- 3. Time to rows ----------------------------------------------------------------------------

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * One server per size, measured in turns (2, 1,000, 5,000, 2, …), so that whatever else the
 * machine does at a given moment weighs on every size alike.
 */
async function timeToRows(browser: Browser) {
  const servers = await Promise.all(
    SIZES.map(async (count) => {
      const { store } = await openStore({ dataDir: null, adminPassword: ADMIN_PASSWORD });
      await seed(store, count);
      return {
        count,
        server: await startServer(store),
        runsMs: [] as number[],
        downloaded: new Set<string>(),
      };
    }),
  );
  try {
    // Run 0 warms each server up and is not counted.
    for (let run = 0; run <= RUNS; run += 1) {
      for (const entry of servers) {
        const page = await signedInTab(browser, entry.server.origin);
        page.on("response", (response) => {
          const path = new URL(response.url()).pathname;
          if (/\.(js|css)$/.test(path)) entry.downloaded.add(path);
        });
        await page.goto(`${entry.server.origin}${LIST_PATH}`);
        await page.waitForFunction(
          () => (window as unknown as { rowsVisibleAt?: number }).rowsVisibleAt,
          null,
          {
            timeout: 20_000,
          },
        );
        const at = await page.evaluate(
          () => (window as unknown as { rowsVisibleAt: number }).rowsVisibleAt,
        );
        if (run > 0) entry.runsMs.push(Math.round(at));
        await page.context().close();
      }
    }
    return await Promise.all(
      servers.map(async ({ count, runsMs, downloaded }) => {
        let downloadedGzip = 0;
        for (const path of downloaded)
          downloadedGzip += gzipSync(await readFile(join(CLIENT_DIR, path)), { level: 9 }).length;
        return { strategies: count, runsMs, medianMs: median(runsMs), downloadedGzip };
      }),
    );
  } finally {
    await Promise.all(servers.map(({ server }) => server.close()));
  }
}

// --- 4. Server throughput ------------------------------------------------------------------------

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

// --- 5. Saves while someone guesses passwords ---------------------------------------------------

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

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
/** "assets/tls-strategy-form-rLJK24Xu.js" → "tls-strategy-form.js" */
const chunkName = (file: string) =>
  file.replace(/^assets\//, "").replace(/-[\w-]{8}\.(js|css)$/, ".$1");

async function main() {
  if (!existsSync(join(CLIENT_DIR, "index.html"))) throw new Error("Run `npm run build` first.");
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
    const actions = await requestsPerAction(browser, store);
    const rows = await timeToRows(browser);
    const server = await throughput(store);
    const attack = await saveUnderAttack();
    const first = rows[0] as (typeof rows)[number];
    const last = rows[rows.length - 1] as (typeof rows)[number];
    const spread = (last.medianMs - first.medianMs) / first.medianMs;
    const cold = actions["cold load of the list"];
    const targets = {
      "initial JS+CSS ≤ 110 KB gzip": bundle.initialGzip <= 110 * 1024,
      "cold load ≤ 2 sequential API round trips": (cold?.roundTrips ?? 99) <= 2,
      "cold load ≤ 8 HTTP requests": (cold?.requests ?? 99) <= 8,
      "1 request per list page": actions["next page"]?.requests === 1,
      "save an edit: at most 2 requests (re-read, then update + list)":
        (actions["save an edit"]?.requests ?? 99) <= 2,
      "save and apply: the save and the settings reload in 1 request":
        saveAndApply.withBoth === 1 && saveAndApply.withReload === 1,
      "1 request per edit form open": actions["open an edit form"]?.requests === 1,
      "1 request per delete": actions["delete one"]?.requests === 1,
      "1 request per bulk delete": actions["bulk delete 50"]?.requests === 1,
      "time to rows within 20 % from 2 to 5,000 strategies": Math.abs(spread) <= 0.2,
      "a save's p50 under 1,000 wrong passwords (one address) within 3× idle":
        attack.oneAddress.p50Ms <= 3 * attack.idle.p50Ms,
      "a save's p50 under 1,000 wrong passwords (1,000 addresses) within 3× idle":
        attack.manyAddresses.p50Ms <= 3 * attack.idle.p50Ms,
    };
    const results = {
      measuredAt: new Date().toISOString(),
      machine: { node: process.version, chromium: browser.version() },
      bundle,
      requestsPerAction: actions,
      timeToRows: rows,
      timeToRowsSpread: Number(spread.toFixed(3)),
      serverThroughput: server,
      saveUnderAttack: attack,
      targets,
    };
    await writeFile("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);

    const lines = [
      "| measure | result |",
      "|---|---|",
      `| initial JS+CSS (gzip) | ${kb(bundle.initialGzip)} (${bundle.initial.map((f) => `${chunkName(f.file)} ${kb(f.gzip)}`).join(", ")}) |`,
      `| lazy chunks (gzip) | ${bundle.lazy
        .filter((f) => f.file.endsWith(".js"))
        .map((f) => `${chunkName(f.file)} ${kb(f.gzip)}`)
        .join(", ")} |`,
      ...Object.entries(actions).map(
        ([name, r]) =>
          `| HTTP requests: ${name} | ${r.requests} (${r.api} API${name.startsWith("cold") ? `, ${r.roundTrips} sequential API round trips` : ""}${name === "save and apply" ? `; the save and the reload in ${saveAndApply.withBoth} request` : ""}) |`,
      ),
      ...rows.map(
        (r) =>
          `| time to rows, ${r.strategies.toLocaleString("en")} strategies | ${r.medianMs} ms median of ${r.runsMs.length} (${r.runsMs.join(", ")}) |`,
      ),
      `| time to rows, 5,000 vs 2 | ${spread >= 0 ? "+" : ""}${(spread * 100).toFixed(1)} % |`,
      `| server: list request (query+get of 25), 5,000 strategies | ${server.requestsPerSecond} req/s, p50 ${server.p50Ms} ms, p99 ${server.p99Ms} ms (${server.concurrency} connections, ${server.seconds} s, ${server.failed} failed) |`,
      `| server: a save (update, on disk), idle | p50 ${attack.idle.p50Ms} ms, p99 ${attack.idle.p99Ms} ms (${attack.idle.saves} saves) |`,
      `| server: a save during 1,000 wrong passwords from one address | p50 ${attack.oneAddress.p50Ms} ms, p99 ${attack.oneAddress.p99Ms} ms (${attack.oneAddress.saves} saves; answers ${JSON.stringify(attack.oneAddress.answers)}) |`,
      `| server: a save during 1,000 wrong passwords from 1,000 addresses | p50 ${attack.manyAddresses.p50Ms} ms, p99 ${attack.manyAddresses.p99Ms} ms (${attack.manyAddresses.saves} saves; answers ${JSON.stringify(attack.manyAddresses.answers)}) |`,
    ];
    console.log(lines.join("\n"));
    console.log("\nTargets:");
    for (const [target, isMet] of Object.entries(targets))
      console.log(`  ${isMet ? "met    " : "MISSED "} ${target}`);
    console.log("\nWritten to bench/results.json");
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
