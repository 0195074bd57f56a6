import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Browser } from "@playwright/test";
import { type StartedWorld, startWorld } from "../server/delivery/test-world/start-world";
import { TEST_PATH } from "../src/paths";
import { PROBE_PATH } from "../src/stalwart/delivery/frames";
import { ADMIN_PASSWORD, sleep } from "./settings";
import { summarize } from "./stats";

// 7. Test a destination (README "Testing a destination"): for a two-MX domain of the loopback world, the time
// from the click on "Run test" to the first fact on screen and to the full outcome table,
// through the page in Chromium, against the built server probing that world. The facts of
// independent hosts are collected concurrently, so the total tracks the slowest host.

/** The world's two-MX domain: mx1 answers STARTTLS with 454, mx2 is fine (scenarios.ts). */
export const TWO_MX_DOMAIN = "two-mx.test";
/** The first MX host: shown as soon as the MX answer is in, the first fact a run waits for. */
const FIRST_MX = "mx1.two-mx.test";
const TABLE_NAME = "Outcome for each strategy";
/** The five outcome words of the table (README "Testing a destination"). */
const OUTCOMES = [
  "Delivered over verified TLS",
  "Delivered over TLS, certificate not checked",
  "Delivered in plaintext",
  "Deferred (temporary failure)",
  "Bounced (permanent failure)",
];
const SERVER_ENTRY = "dist/server/index.js";

export interface DeliveryRun {
  run: number;
  /** From the click on Run test to the first MX host in the view, ms. */
  firstFactMs: number;
  /** From the click to every row of the outcome table holding an outcome, ms. */
  fullTableMs: number;
  /** Where the time went: click → the page's fetch of the probe, and → its headers, ms. */
  fetchMs: number | null;
  headersMs: number | null;
}

/** What the init script keeps in the page (ms on the page's clock). */
interface DeliveryState {
  clickAt?: number;
  fetchAt?: number;
  headersAt?: number;
  firstFactAt?: number;
  fullTableAt?: number;
}

/**
 * Runs before the page's scripts (serialized by Playwright: it calls nothing of this
 * module): remembers the click on "Run test", then on every DOM change whether the first MX
 * host shows in the view (outside the outcome table) and whether every row of the table
 * named `tableName` holds one of `outcomes`.
 */
function watchDeliveryTest({
  password,
  firstMx,
  tableName,
  outcomes,
  probePath,
}: {
  password: string;
  firstMx: string;
  tableName: string;
  outcomes: string[];
  probePath: string;
}) {
  sessionStorage.setItem(
    "stalwart-tls-strategies.credentials",
    JSON.stringify({ kind: "basic", username: "admin", password }),
  );
  const state: DeliveryState = {};
  (window as unknown as { __delivery: DeliveryState }).__delivery = state;
  // When the page asks for the probe, and when its headers are in (the stream still open).
  const pageFetch = window.fetch;
  window.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const answer = pageFetch(input, init);
    if (new URL(url, location.href).pathname === probePath) {
      state.fetchAt ??= performance.now();
      answer.then(
        () => {
          state.headersAt ??= performance.now();
        },
        () => {},
      );
    }
    return answer;
  };
  const nameOf = (table: HTMLTableElement) => {
    const labelledBy = table.getAttribute("aria-labelledby");
    const byId = labelledBy
      ? labelledBy
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? "")
          .join(" ")
      : null;
    return (table.getAttribute("aria-label") ?? byId ?? table.caption?.textContent ?? "").trim();
  };
  const check = () => {
    if (state.clickAt === undefined) return;
    const table = [...document.querySelectorAll("table")].find((t) => nameOf(t) === tableName);
    if (state.firstFactAt === undefined) {
      const walker = document.createTreeWalker(document.querySelector("main") ?? document.body, 4);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!node.textContent?.includes(firstMx) || !parent || table?.contains(parent)) continue;
        if (parent.checkVisibility()) {
          state.firstFactAt = performance.now();
          break;
        }
      }
    }
    if (state.fullTableAt === undefined && table) {
      const rows = [...table.querySelectorAll("tbody tr")];
      const filled = (row: Element) => outcomes.some((o) => row.textContent?.includes(o));
      if (rows.length > 0 && rows.every(filled)) state.fullTableAt = performance.now();
    }
  };
  addEventListener(
    "click",
    (event) => {
      const button = (event.target as Element | null)?.closest("button");
      if (button?.textContent?.trim() !== "Run test") return;
      state.clickAt = event.timeStamp;
      delete state.fetchAt;
      delete state.headersAt;
      delete state.firstFactAt;
      delete state.fullTableAt;
    },
    true,
  );
  new MutationObserver(check).observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
  });
}

/** The built server (SERVER_ENTRY) on a free port, serving `clientDir`, probing `world`. */
async function startProbingServer(clientDir: string, world: StartedWorld) {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: build first.`);
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: {
      ...process.env,
      ...world.env,
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: ":memory:",
      STATIC_DIR: clientDir,
      STALWART_ADMIN_PASSWORD: ADMIN_PASSWORD,
      EXIT_ON_STDIN_CLOSE: "1",
    },
  });
  const output: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const origin = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      output.push(line);
      const match = /Listening on (http:\/\/[^\s/]+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`The server exited (${code}): ${output}`)));
    setTimeout(() => reject(new Error(`The server did not start: ${output}`)), 15_000);
  });
  return {
    origin,
    stop: () => {
      child.stdin.end();
      child.kill("SIGTERM");
    },
  };
}

/** One run in a new tab: open the view, click Run test, wait (≤ 10 s) for the full table. */
async function measureRun(browser: Browser, origin: string, run: number): Promise<DeliveryRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await context.addInitScript(watchDeliveryTest, {
      password: ADMIN_PASSWORD,
      firstMx: FIRST_MX,
      tableName: TABLE_NAME,
      outcomes: OUTCOMES,
      probePath: PROBE_PATH,
    });
    const page = await context.newPage();
    await page.goto(`${origin}${TEST_PATH}`);
    await page.getByLabel("Recipient domain or address", { exact: true }).fill(TWO_MX_DOMAIN);
    // The outcome table needs the strategies: let the view's first reads end first.
    await page.waitForLoadState("networkidle", { timeout: 10_000 });
    await page.getByRole("button", { name: "Run test", exact: true }).click();
    const state = (await page
      .waitForFunction(
        () => {
          const s = (window as unknown as { __delivery: DeliveryState }).__delivery;
          return s.fullTableAt !== undefined && s.firstFactAt !== undefined ? s : null;
        },
        undefined,
        { timeout: 10_000 },
      )
      .then((handle) => handle.jsonValue())) as Required<DeliveryState>;
    const since = (at: number | undefined) => (at ? Math.round(at - state.clickAt) : null);
    return {
      run,
      firstFactMs: Math.round(state.firstFactAt - state.clickAt),
      fullTableMs: Math.round(state.fullTableAt - state.clickAt),
      fetchMs: since(state.fetchAt),
      headersMs: since(state.headersAt),
    };
  } finally {
    await context.close();
  }
}

/**
 * `runs` measured runs (after one warm-up run that is not counted), unthrottled, against the
 * build in `clientDir`: their medians, and the runs that failed with why.
 */
export async function deliveryTimings(browser: Browser, runs: number, clientDir: string) {
  const world = await startWorld("stories");
  const server = await startProbingServer(clientDir, world).catch(async (error: unknown) => {
    await world.close();
    throw error;
  });
  const measured: DeliveryRun[] = [];
  const failures: { run: number; error: string }[] = [];
  try {
    for (let run = 0; run <= runs; run += 1) {
      try {
        const result = await measureRun(browser, server.origin, run);
        if (run > 0) measured.push(result);
      } catch (error) {
        failures.push({ run, error: String(error).slice(0, 300) });
      }
      // The probe's sockets close after its `done`; the next run starts on a quiet world.
      await sleep(200);
    }
  } finally {
    server.stop();
    await world.close();
  }
  return {
    domain: TWO_MX_DOMAIN,
    runs: measured,
    failures,
    firstFact: summarize(measured.map((r) => r.firstFactMs)),
    fullTable: summarize(measured.map((r) => r.fullTableMs)),
    fetch: summarize(measured.map((r) => r.fetchMs)),
    headers: summarize(measured.map((r) => r.headersMs)),
  };
}
