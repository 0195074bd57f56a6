import { readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { HOVER_MS } from "./browser/actions";
import { PROFILES, type Profile } from "./browser/profiles";
import { type RunResult, runStats } from "./browser/timings";
import { SIZES } from "./settings";
import { chunkName, kb, shown, strategiesLabel } from "./stats";
import { type Measured, targetsOf } from "./targets";

// What the bench found, as a table with its targets, as bench/results.json, and as the block
// of README.md between its bench markers, which nothing else writes.

/** How the measures were taken: runs per profile and size, seconds in all, the browser. */
export interface Conditions {
  runs: number;
  wallSeconds: number;
  chromium: string;
}

/** The table, the targets met or missed, the line about the machine, and the results file. */
export function buildReport(measured: Measured, { runs, wallSeconds, chromium }: Conditions) {
  const { bundle, served, actions, saveAndApply, timings, server, attack, delivery } = measured;
  const stats = runStats(timings.runs);
  const { cell, stat, rowsKnown, small, large, spreads } = stats;
  const targets = targetsOf(measured, stats);
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
    `| test a destination (${delivery.domain}, local world): click on Run test → first fact | ${shown(delivery.firstFact)} |`,
    `| test a destination (${delivery.domain}, local world): click on Run test → full outcome table | ${shown(delivery.fullTable)}${delivery.failures.length ? `; ${delivery.failures.length} runs failed` : ""} |`,
    `| test a destination (${delivery.domain}, local world): click → the page's fetch of the probe / → its headers | ${shown(delivery.fetch)} / ${shown(delivery.headers)} |`,
  ];
  const targetLines = Object.entries(targets).map(
    ([target, isMet]) => `  ${isMet ? "met    " : "MISSED "} ${target}`,
  );
  const cores = cpus();
  const machine = `Measured ${new Date().toISOString().slice(0, 10)} on ${cores.length} cores (${cores[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}, Chromium ${chromium}; ${runs} runs per profile and size, interleaved; ${wallSeconds} s in all.`;

  const results = {
    measuredAt: new Date().toISOString(),
    machine: {
      cores: cores.length,
      cpu: cores[0]?.model.trim() ?? null,
      node: process.version,
      chromium,
    },
    wallSeconds,
    bundle,
    precompressed: served,
    requestsPerAction: actions,
    saveAndApply,
    browserTimings: {
      profiles: PROFILES,
      sizes: SIZES,
      runsPerCase: runs,
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
    deliveryTest: delivery,
    targets,
  };

  return { lines, targetLines, machine, results };
}

const README_START = "<!-- bench:start -->";
const README_END = "<!-- bench:end -->";

/** Replaces what README.md holds between its bench markers (the markers stay). */
export async function updateReadme({
  lines,
  targetLines,
  machine,
}: ReturnType<typeof buildReport>) {
  const block = [machine, "", ...lines, "", "Targets:", "", "```", ...targetLines, "```"].join(
    "\n",
  );
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
