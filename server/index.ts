import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createApp } from "./app";
import { readConfig } from "./config";
import { hostPolicy, ownNames } from "./hosts";
import { serveApp } from "./node-listener";
import { openStore } from "./store";

// The environment → the configuration (config.ts) → the app (app.ts) → listening, and the
// signals that stop it.

async function main() {
  const config = readConfig(process.env);
  const { host, port, upstream, dataDir } = config;
  let signInHelp: string;
  let store: Awaited<ReturnType<typeof openStore>>["store"] | undefined;
  if (upstream) {
    signInHelp = `Proxying JMAP to ${upstream}: sign in with an account of that Stalwart server.`;
  } else {
    const opened = await openStore({ dataDir, adminPassword: config.adminPassword });
    store = opened.store;
    signInHelp = opened.generatedAdminPassword
      ? `Sign in as "admin" with the password ${opened.generatedAdminPassword}\n` +
        (dataDir === null
          ? "(generated for this run: with DATA_DIR=:memory: nothing is kept; set STALWART_ADMIN_PASSWORD to choose it)."
          : "(generated on this first start and shown only now: keep it, or set STALWART_ADMIN_PASSWORD).")
      : config.adminPassword
        ? 'Sign in as "admin" with the password from STALWART_ADMIN_PASSWORD.'
        : 'Sign in as "admin" with the password printed on the first start (or set STALWART_ADMIN_PASSWORD).';
  }

  let listeningPort = port;
  // Test hooks are for the end-to-end suite only; see AppOptions.testHooks.
  if (config.testHooks) console.log("Test hooks are on (STALWART_TEST_HOOKS=1): for tests only.");
  const app = createApp({
    store,
    upstream,
    staticDir: config.staticDir ?? fileURLToPath(new URL("../client/", import.meta.url)),
    testHooks: config.testHooks,
    publicUrl: config.publicUrl,
    serveSourceMaps: config.serveSourceMaps,
    probe: config.probe,
    isAllowedHost: hostPolicy({
      names: ownNames(),
      extra: config.allowedHosts,
      port: () => listeningPort,
    }),
  });
  const server = serveApp(createServer(), app);
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") {
      console.error(
        `Port ${port} on ${host} is already in use: set PORT to a free one (for example PORT=${port + 1} npm start).`,
      );
    } else if (error.code === "EACCES") {
      console.error(`Not allowed to listen on port ${port}: set PORT to a port above 1023.`);
    } else {
      console.error(`Could not listen on ${host}:${port}: ${error.message}`);
    }
    process.exit(1);
  });
  server.listen(port, host, () => {
    const info = server.address() as AddressInfo;
    listeningPort = info.port;
    const shownHost = info.address.includes(":") ? `[${info.address}]` : info.address;
    console.log(`Listening on http://${shownHost}:${info.port}/`);
    console.log(signInHelp);
  });

  let isStopping = false;
  const stop = () => {
    if (isStopping) return;
    isStopping = true;
    // Stop accepting; requests under way (and their writes) finish before the exit.
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (config.exitOnStdinClose) {
    process.stdin.on("end", stop);
    process.stdin.on("close", stop);
    process.stdin.resume();
  }
}

main().catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
