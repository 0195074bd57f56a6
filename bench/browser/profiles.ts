import { existsSync } from "node:fs";
import { type Browser, chromium } from "@playwright/test";

// The browser the timings run in, and the two profiles they run under (README, Benchmark).

export interface Profile {
  name: "unthrottled" | "slow";
  /** CDP Emulation.setCPUThrottlingRate: 4 = four times slower than this machine. */
  cpuRate: number;
  /** CDP Network.emulateNetworkConditions: latency in ms, throughputs in bytes/s. */
  network: { latency: number; downloadThroughput: number; uploadThroughput: number } | null;
}

export const PROFILES: Profile[] = [
  { name: "unthrottled", cpuRate: 1, network: null },
  {
    name: "slow",
    cpuRate: 4,
    network: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 },
  },
];

/** Chromium: CHROMIUM_PATH, else the system's, else Playwright's own. */
export function launchBrowser(): Promise<Browser> {
  const executablePath =
    process.env.CHROMIUM_PATH ||
    (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  return chromium.launch({
    executablePath,
    args: [
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
