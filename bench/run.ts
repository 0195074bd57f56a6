// `npm run bench`: measures what an admin waits for and downloads, against the production
// build and the embedded server, and writes bench/results.json and a readable table.
// `npm run bench -- --readme` also rewrites the Benchmark section of README.md with them
// (report.ts). Everything runs on 127.0.0.1; every loop is bounded in count and time.
import { rm, writeFile } from "node:fs/promises";
import { openStore } from "../server/store";
import { launchBrowser } from "./browser/profiles";
import { requestsPerAction } from "./browser/requests-per-action";
import { browserTimings } from "./browser/timings";
import { bundleSizes, snapshotOfBuild } from "./build";
import { deliveryTimings } from "./delivery";
import { saveUnderAttack } from "./load/attack";
import { throughput } from "./load/throughput";
import { buildReport, updateReadme } from "./report";
import { precompressedAssets } from "./server";
import { ADMIN_PASSWORD } from "./settings";

/** Measured runs per (profile, store size), after one warm-up run that is not counted. */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 9);
const WRITE_README = process.argv.includes("--readme");

async function main() {
  const startedAt = performance.now();
  const clientDir = await snapshotOfBuild();
  const browser = await launchBrowser();
  const { store } = await openStore({ dataDir: null, adminPassword: ADMIN_PASSWORD });
  try {
    // One after the other, so that no measure weighs on another.
    const bundle = await bundleSizes(clientDir);
    const served = await precompressedAssets(store, clientDir);
    const { actions, saveAndApply } = await requestsPerAction(browser, store, clientDir);
    const timings = await browserTimings(browser, RUNS, clientDir);
    const server = await throughput(store, clientDir);
    const attack = await saveUnderAttack(clientDir);
    const delivery = await deliveryTimings(browser, RUNS, clientDir);

    const report = buildReport(
      { bundle, served, actions, saveAndApply, timings, server, attack, delivery },
      {
        runs: RUNS,
        wallSeconds: Math.round((performance.now() - startedAt) / 1000),
        chromium: browser.version(),
      },
    );
    await writeFile("bench/results.json", `${JSON.stringify(report.results, null, 2)}\n`);

    console.log(report.lines.join("\n"));
    console.log("\nTargets:");
    console.log(report.targetLines.join("\n"));
    console.log(`\n${report.machine}`);
    console.log("Written to bench/results.json");
    if (WRITE_README) {
      await updateReadme(report);
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
