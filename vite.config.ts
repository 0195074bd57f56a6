import { readFile, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import react from "@vitejs/plugin-react";
import { build, defineConfig, type Plugin } from "vite";

/** Paths the embedded JMAP server answers; everything else is the UI. */
const API_PATH = /^\/(\.well-known\/jmap|jmap(\/|$|\?)|api(\/|$|\?))/;

/**
 * `npm run dev`: the same embedded server as `npm start`, mounted in front of Vite's dev
 * server, so the UI hot-reloads against real JMAP answers on one origin.
 */
function embeddedJmapServer(): Plugin {
  return {
    name: "embedded-jmap-server",
    apply: "serve",
    async configureServer(server) {
      const { openStore } = (await server.ssrLoadModule(
        "/server/store.ts",
      )) as typeof import("./server/store");
      const { createApp } = (await server.ssrLoadModule(
        "/server/app.ts",
      )) as typeof import("./server/app");
      const upstream = process.env.STALWART_URL;
      let store: Awaited<ReturnType<typeof openStore>>["store"] | undefined;
      if (!upstream) {
        const opened = await openStore({
          // As in server/index.ts: ":memory:" keeps nothing on disk.
          dataDir: process.env.DATA_DIR === ":memory:" ? null : (process.env.DATA_DIR ?? "data"),
          adminPassword: process.env.STALWART_ADMIN_PASSWORD,
        });
        store = opened.store;
        if (opened.generatedAdminPassword) {
          server.config.logger.info(
            `  Sign in as admin with password: ${opened.generatedAdminPassword} (shown once)`,
          );
        }
      }
      const { nodeListener } = (await server.ssrLoadModule(
        "/server/node-listener.ts",
      )) as typeof import("./server/node-listener");
      const listener = nodeListener(createApp({ store, upstream }));
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        if (req.url && API_PATH.test(req.url)) void listener(req, res);
        else next();
      });
    },
  };
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Writes `name.br` (brotli, quality 11) and `name.gz` (gzip, level 9) beside every JS, CSS and
 * SVG file of the client build, so the server sends them as they are, chosen by
 * `Accept-Encoding`, instead of compressing each response (server/app.ts, `precompressed`).
 */
function precompress(): Plugin {
  return {
    name: "precompress",
    apply: "build",
    applyToEnvironment: (environment) => environment.name === "client",
    async writeBundle(options, bundle) {
      const dir = options.dir ?? "dist/client";
      const files = Object.keys(bundle).filter((file) => /\.(js|css|svg)$/.test(file));
      await Promise.all(
        files.map(async (file) => {
          const content = await readFile(join(dir, file));
          const [br, gz] = await Promise.all([
            brotli(content, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
              },
            }),
            gzipped(content, { level: constants.Z_BEST_COMPRESSION }),
          ]);
          await Promise.all([
            writeFile(join(dir, `${file}.br`), br),
            writeFile(join(dir, `${file}.gz`), gz),
          ]);
        }),
      );
    },
  };
}

/**
 * Puts the page's stylesheet inside index.html as a `<style>` element: the frame in the HTML
 * is styled at first paint, with no request that blocks rendering (issue 11). The server
 * allows exactly that element by its hash in the Content-Security-Policy (server/app.ts).
 */
function inlineStylesheet(): Plugin {
  return {
    name: "inline-stylesheet",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) return html;
        return html.replace(/<link rel="stylesheet"[^>]* href="\/([^"]+\.css)">/g, (tag, file) => {
          const asset = bundle[file];
          if (asset?.type !== "asset") return tag;
          delete bundle[file];
          return `<style>${String(asset.source).trim()}</style>`;
        });
      },
    },
  };
}

/**
 * Marks JS chunks for eager compilation (V8's explicit compile hints, Chrome 136+: the magic
 * comment `//# allFunctionsCalledOnLoad` on a file's first line). Without it V8 compiles each
 * function on its first call, on the main thread: opening a form paid for compiling the
 * form's code then. With it, a lazily loaded chunk is compiled as it loads (on hover or at
 * idle for the form's), off the main thread (issue 11). The entry chunk goes without: all of
 * it compiled before it runs made a reload about 60 ms slower on a fast link, to save about
 * 10 ms on the first click. Other browsers read a comment.
 */
function compileHints(): Plugin {
  return {
    name: "compile-hints",
    apply: "build",
    applyToEnvironment: (environment) => environment.name === "client",
    generateBundle: {
      // After Vite's own changes to the chunks: the comment must be the file's first line.
      order: "post",
      handler(_, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== "chunk" || chunk.isEntry) continue;
          chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
          // A source map (SOURCEMAPS=1) starts one line later.
          if (chunk.map) chunk.map.mappings = `;${chunk.map.mappings}`;
        }
      },
    },
  };
}

/** The browsers the build is for: every one has CSS light-dark() and `<link rel=modulepreload>`. */
const TARGET = ["chrome123", "edge123", "firefox120", "safari17.5"];

/**
 * Puts src/boot/early-requests.ts, bundled and minified, into index.html's head as an inline
 * classic script: on a reload of the list it sends the first data requests while the page's
 * JavaScript is still downloading (src/session/early-requests.ts). The server allows exactly
 * that script by its hash in the Content-Security-Policy (server/app.ts).
 */
function inlineEarlyRequests(): Plugin {
  let script: Promise<string> | undefined;
  const bundle = async () => {
    const output = await build({
      configFile: false,
      logLevel: "warn",
      build: {
        write: false,
        target: TARGET,
        minify: true,
        lib: { entry: "src/boot/early-requests.ts", formats: ["iife"], name: "earlyRequests" },
      },
    });
    const [first] = Array.isArray(output) ? output : [output];
    const chunk = first && "output" in first ? first.output[0] : undefined;
    if (!chunk) throw new Error("The early-requests script did not build.");
    return chunk.code.trim();
  };
  return {
    name: "inline-early-requests",
    transformIndexHtml: {
      order: "post",
      async handler(html) {
        script ??= bundle();
        return html.replace("</head>", `<script>${await script}</script></head>`);
      },
    },
  };
}

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
    cssTarget: TARGET,
    target: TARGET,
    // Every target browser has <link rel="modulepreload">: no polyfill in the first load.
    modulePreload: { polyfill: false },
    // Source maps only when asked for (SOURCEMAPS=1): a production build does not publish its sources.
    sourcemap: process.env.SOURCEMAPS === "1",
    rolldownOptions: {
      output: {
        // Everything the list needs at start in one file, which compresses better than the
        // same code in several; the form and the sign-in page stay lazy (issue 11).
        codeSplitting: { groups: [{ name: "app", tags: ["$initial"] }] },
      },
    },
  },
  server: { host: "127.0.0.1", port: 5173 },
});
