import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createApp } from "./app";
import { hostPolicy, ownNames, parseAllowedHosts } from "./hosts";
import { serveApp } from "./node-listener";
import { openStore } from "./store";

// Reads the environment and listens; everything else is in app.ts.
const env = process.env;
const host = env.HOST || "127.0.0.1";
const port = Number(env.PORT || "8080");
const upstream = env.STALWART_URL || undefined;
const dataDir = env.DATA_DIR === ":memory:" ? null : env.DATA_DIR || "data";
const staticDir = env.STATIC_DIR || fileURLToPath(new URL("../client/", import.meta.url));

/** PUBLIC_URL as an origin, or a clear refusal to start. */
function publicOrigin(): string | undefined {
  if (!env.PUBLIC_URL) return undefined;
  let url: URL;
  try {
    url = new URL(env.PUBLIC_URL);
  } catch {
    throw new Error("PUBLIC_URL must be an http(s) address, like https://tls.example.com.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error("PUBLIC_URL must be an http(s) address, like https://tls.example.com.");
  // The page is served from the root of its origin: a path would be silently lost.
  if (url.pathname !== "/" || url.search || url.hash)
    throw new Error("PUBLIC_URL must be an origin without a path, like https://tls.example.com.");
  return url.origin;
}

async function main() {
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number from 0 to 65535 (it is "${env.PORT}").`);
  let signInHelp: string;
  let store: Awaited<ReturnType<typeof openStore>>["store"] | undefined;
  if (upstream) {
    signInHelp = `Proxying JMAP to ${upstream}: sign in with an account of that Stalwart server.`;
  } else {
    const opened = await openStore({
      dataDir,
      adminPassword: env.STALWART_ADMIN_PASSWORD || undefined,
    });
    store = opened.store;
    signInHelp = opened.generatedAdminPassword
      ? `Sign in as "admin" with the password ${opened.generatedAdminPassword}\n` +
        (dataDir === null
          ? "(generated for this run: with DATA_DIR=:memory: nothing is kept; set STALWART_ADMIN_PASSWORD to choose it)."
          : "(generated on this first start and shown only now: keep it, or set STALWART_ADMIN_PASSWORD).")
      : env.STALWART_ADMIN_PASSWORD
        ? 'Sign in as "admin" with the password from STALWART_ADMIN_PASSWORD.'
        : 'Sign in as "admin" with the password printed on the first start (or set STALWART_ADMIN_PASSWORD).';
  }

  let listeningPort = port;
  // Test hooks are for the end-to-end suite only; see AppOptions.testHooks.
  const testHooks = env.STALWART_TEST_HOOKS === "1" && !upstream;
  if (testHooks) console.log("Test hooks are on (STALWART_TEST_HOOKS=1): for tests only.");
  const app = createApp({
    store,
    upstream,
    staticDir,
    testHooks,
    publicUrl: publicOrigin(),
    serveSourceMaps: env.SOURCEMAPS === "1",
    isAllowedHost: hostPolicy({
      names: ownNames(),
      extra: parseAllowedHosts(env.ALLOWED_HOSTS),
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
  if (env.EXIT_ON_STDIN_CLOSE === "1") {
    process.stdin.on("end", stop);
    process.stdin.on("close", stop);
    process.stdin.resume();
  }
}

main().catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
