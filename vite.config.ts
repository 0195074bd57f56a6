import type { IncomingMessage, ServerResponse } from "node:http";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

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

export default defineConfig({
  plugins: [react(), embeddedJmapServer()],
  build: {
    outDir: "dist/client",
    // Source maps only when asked for (SOURCEMAPS=1): a production build does not publish its sources.
    sourcemap: process.env.SOURCEMAPS === "1",
  },
  server: { host: "127.0.0.1", port: 5173 },
});
