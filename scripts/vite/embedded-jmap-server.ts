import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "vite";

/** Paths the embedded JMAP server answers; everything else is the UI. */
const API_PATH = /^\/(\.well-known\/jmap|jmap(\/|$|\?)|api(\/|$|\?)|probe\/delivery(\/|$|\?))/;

/**
 * `npm run dev`: the same embedded server as `npm start`, mounted in front of Vite's dev
 * server, so the UI hot-reloads against real JMAP answers on one origin. It reads the same
 * configuration (server/config.ts): STALWART_URL, DATA_DIR, STALWART_ADMIN_PASSWORD, and the
 * destination probe's (DNS_SERVERS, SMTP_PORT, MTA_STS_PORT, NODE_EXTRA_CA_CERTS,
 * PROBE_PRIVATE_ADDRESSES).
 */
export function embeddedJmapServer(): Plugin {
  return {
    name: "embedded-jmap-server",
    apply: "serve",
    async configureServer(server) {
      const { readConfig } = (await server.ssrLoadModule(
        "/server/config.ts",
      )) as typeof import("../../server/config");
      const { openStore } = (await server.ssrLoadModule(
        "/server/store.ts",
      )) as typeof import("../../server/store");
      const { createApp } = (await server.ssrLoadModule(
        "/server/app.ts",
      )) as typeof import("../../server/app");
      const { upstream, dataDir, adminPassword, probe } = readConfig(process.env);
      let store: Awaited<ReturnType<typeof openStore>>["store"] | undefined;
      if (!upstream) {
        const opened = await openStore({ dataDir, adminPassword });
        store = opened.store;
        if (opened.generatedAdminPassword) {
          server.config.logger.info(
            `  Sign in as admin with password: ${opened.generatedAdminPassword} (shown once)`,
          );
        }
      }
      const { nodeListener } = (await server.ssrLoadModule(
        "/server/node-listener.ts",
      )) as typeof import("../../server/node-listener");
      const listener = nodeListener(createApp({ store, upstream, probe }));
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        if (req.url && API_PATH.test(req.url)) void listener(req, res);
        else next();
      });
    },
  };
}
