import { defineConfig, devices } from "@playwright/test";
import { launchOptions } from "./e2e/fixtures/launch-options";

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
    launchOptions,
  },
});
