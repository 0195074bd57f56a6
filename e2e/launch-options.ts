import { existsSync } from "node:fs";
import type { LaunchOptions } from "@playwright/test";

// Playwright cannot download its own browser on every machine; use Debian's Chromium
// (or CHROMIUM_PATH) when there is one, else Playwright's own where it is installed.
const executablePath =
  process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

/** How every story launches Chromium (playwright.config.ts). */
export const launchOptions: LaunchOptions = {
  executablePath,
  args: [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
  ],
};

/**
 * The same, with Chromium's back/forward cache on, as every real browser has it: Playwright
 * turns it off by default (`--disable-back-forward-cache`), which would hide what a page
 * restored from history does (`test.use({ launchOptions: withBackForwardCache })`).
 */
export const withBackForwardCache: LaunchOptions = {
  ...launchOptions,
  ignoreDefaultArgs: ["--disable-back-forward-cache"],
};
