import { type ProbeConfig, readProbeConfig } from "./delivery/config";
import { trustedRoots } from "./delivery/tls/trust-store";
import { parseAllowedHosts } from "./hosts";

// What the environment tells the server (README, Configuration), read once: by server/index.ts
// at start, and by the Vite dev server's embedded JMAP server
// (scripts/vite/embedded-jmap-server.ts). A value that cannot work refuses the start, with a
// message that names the variable and what it should look like.

export interface ServerConfig {
  /** HOST: the address to listen on. */
  host: string;
  /** PORT: 0 picks a free one. */
  port: number;
  /** STALWART_URL: proxy the API to a real Stalwart instead of answering it. */
  upstream: string | undefined;
  /** DATA_DIR: where the embedded server keeps its data; null for ":memory:" (nothing kept). */
  dataDir: string | null;
  /** STATIC_DIR: the built UI; unset, the build beside the server (server/index.ts). */
  staticDir: string | undefined;
  /** STALWART_ADMIN_PASSWORD; unset (or empty), the stored one, or one generated once. */
  adminPassword: string | undefined;
  /** PUBLIC_URL, as an origin: the session's URLs are built from it. */
  publicUrl: string | undefined;
  /** ALLOWED_HOSTS: more Host names to answer. */
  allowedHosts: string[];
  /** STALWART_TEST_HOOKS=1, for the end-to-end tests only; never with STALWART_URL. */
  testHooks: boolean;
  /** SOURCEMAPS=1: serve the build's source maps. */
  serveSourceMaps: boolean;
  /** EXIT_ON_STDIN_CLOSE=1: stop when stdin closes (a parent process that goes away). */
  exitOnStdinClose: boolean;
  /**
   * The destination probe (README, Configuration): DNS_SERVERS, SMTP_PORT, MTA_STS_PORT,
   * NODE_EXTRA_CA_CERTS, PROBE_PRIVATE_ADDRESSES.
   */
  probe: ProbeConfig;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** PUBLIC_URL as an origin, or a clear refusal to start. */
function publicOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
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

/** NODE_EXTRA_CA_CERTS must name a readable file that holds at least one PEM certificate. */
function checkExtraCaFile(path: string | null): void {
  if (!path) return;
  const roots = trustedRoots({ useSystemCa: false, extraCaFile: path, extraCaPem: "" });
  if (roots.length === 0)
    throw new Error(`NODE_EXTRA_CA_CERTS names ${path}, which holds no PEM certificate.`);
}

/**
 * The server's configuration from `env` (process.env).
 * @throws Error naming the variable, when PORT, PUBLIC_URL, DNS_SERVERS, SMTP_PORT,
 * MTA_STS_PORT, NODE_EXTRA_CA_CERTS (unreadable, or no certificate in it) or
 * PROBE_PRIVATE_ADDRESSES (not 0 or 1) cannot work.
 */
export function readConfig(env: Environment): ServerConfig {
  const port = Number(env.PORT || "8080");
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number from 0 to 65535 (it is "${env.PORT}").`);
  const upstream = env.STALWART_URL || undefined;
  const probe = readProbeConfig(env);
  checkExtraCaFile(probe.extraCaFile);
  return {
    host: env.HOST || "127.0.0.1",
    port,
    upstream,
    dataDir: env.DATA_DIR === ":memory:" ? null : env.DATA_DIR || "data",
    staticDir: env.STATIC_DIR || undefined,
    adminPassword: env.STALWART_ADMIN_PASSWORD || undefined,
    publicUrl: publicOrigin(env.PUBLIC_URL),
    allowedHosts: parseAllowedHosts(env.ALLOWED_HOSTS),
    testHooks: env.STALWART_TEST_HOOKS === "1" && !upstream,
    serveSourceMaps: env.SOURCEMAPS === "1",
    exitOnStdinClose: env.EXIT_ON_STDIN_CLOSE === "1",
    probe,
  };
}
