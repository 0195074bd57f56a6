import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { BROWSER_TARGET } from "./scripts/vite/browser-target.ts";
import { compileHints } from "./scripts/vite/compile-hints.ts";
import { embeddedJmapServer } from "./scripts/vite/embedded-jmap-server.ts";
import { inlineEarlyRequests } from "./scripts/vite/inline-early-requests.ts";
import { inlineStylesheet } from "./scripts/vite/inline-stylesheet.ts";
import { precompress } from "./scripts/vite/precompress.ts";

export default defineConfig({
  plugins: [
    react(),
    embeddedJmapServer(),
    inlineStylesheet(),
    inlineEarlyRequests(),
    compileHints(),
    precompress(),
  ],
  build: {
    outDir: "dist/client",
    // Browsers with CSS light-dark() (Baseline since May 2024, widely available since
    // November 2026): the stylesheet keeps it as written instead of a variable-based polyfill
    // that doubles every colour.
    cssTarget: BROWSER_TARGET,
    target: BROWSER_TARGET,
    // Every target browser has <link rel="modulepreload">: no polyfill in the first load.
    modulePreload: { polyfill: false },
    // Source maps only when asked for (SOURCEMAPS=1): a production build does not publish its sources.
    sourcemap: process.env.SOURCEMAPS === "1",
    rolldownOptions: {
      output: {
        // Everything the list needs at start in one file, which compresses better than the
        // same code in several; the form and the sign-in page stay lazy
        // (docs/decisions/first-paint-and-opening.md).
        codeSplitting: { groups: [{ name: "app", tags: ["$initial"] }] },
      },
    },
  },
  server: { host: "127.0.0.1", port: 5173 },
});
