import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Playwright cannot download its own browser on every machine; use Debian's Chromium
// (or CHROMIUM_PATH) when there is one, else Playwright's own where it is installed.
const executablePath =
  process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

/** Set to run the suite against a running server (see README, "Testing a live server"). */
const isLive = Boolean(process.env.E2E_BASE_URL);

export default defineConfig({
  testDir: "e2e",
  timeout: 30_000,
  expect: { timeout: 7_000 },
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [["list"]] : [["list"]],
  // Tests that need a fresh embedded server of their own (extra users, known contents)
  // are tagged @embedded and left out against a live server.
  grepInvert: isLive ? /@embedded/ : undefined,
  use: {
    ...devices["Desktop Chrome"],
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
});
