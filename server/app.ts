import { resolve } from "node:path";
import { type Context, Hono } from "hono";
import { compress } from "hono/compress";
import { secureHeaders } from "hono/secure-headers";
import type { ProbeConfig } from "./delivery/config";
import { createProbeLimiter } from "./delivery/limiter";
import { localHostsOnly } from "./hosts";
import { authenticator, peerAddress } from "./http/authenticate";
import { mountDelivery } from "./http/delivery";
import { embeddedAccess, upstreamAccess } from "./http/delivery-access";
import { headAsGet } from "./http/head";
import { inlineHashes, readIndex } from "./http/index-html";
import { mountJmap } from "./http/jmap";
import { mountLiveDelivery } from "./http/live-delivery";
import { mountPages } from "./http/pages";
import { mountProxy } from "./http/proxy";
import { problemResponse } from "./http/responses";
import { mountTestHooks, newTestHooks } from "./http/test-hooks";
import { notFound, ProblemError } from "./jmap/errors";
import type { Store } from "./store";

// The server as one request handler, which tests call without a port: what every request
// goes through (the Host check, HEAD, the security headers, compression), the routes of
// http/ mounted in order, and the one place where errors become answers.

export interface AppOptions {
  store?: Store;
  /** STALWART_URL: proxy the API to a real Stalwart instead of answering it. */
  upstream?: string;
  /** The built UI; without it only the API is served (the Vite dev server serves the UI). */
  staticDir?: string;
  /**
   * PUBLIC_URL: the address clients use. The session's URLs are built from it, never from a
   * request's Host header (shared wire reference §1).
   */
  publicUrl?: string;
  /**
   * Which Host headers this server answers (host, or host:port). Others get a 400, so a
   * rebinding or a forged Host cannot put its own name in the session's apiUrl. Default:
   * localhost names only.
   */
  isAllowedHost?: (host: string) => boolean;
  /** The client's address, for rate limits; by default the TCP peer's. */
  clientAddress?: (c: Context) => string;
  /**
   * For the end-to-end tests only (STALWART_TEST_HOOKS=1): routes under /__test/ that make
   * the next settings reload fail, show the running configuration and count JMAP requests.
   * Off unless asked for; a normal start never mounts them (http/test-hooks.ts).
   */
  testHooks?: boolean;
  /** Serve the build's source maps (*.map); off unless asked for. */
  serveSourceMaps?: boolean;
  /**
   * The destination probe (config.ts `probe`): without it, neither /probe/delivery nor the
   * embedded live delivery test is served.
   */
  probe?: ProbeConfig;
}

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  const index = options.staticDir ? readIndex(resolve(options.staticDir)) : "";
  const isAllowedHost = options.isAllowedHost ?? localHostsOnly;
  const publicHost = options.publicUrl ? new URL(options.publicUrl).host : null;
  const address = options.clientAddress ?? peerAddress;
  // First of all: a Host this server does not answer for gets nothing else (README,
  // Configuration: ALLOWED_HOSTS).
  app.use(async (c, next) => {
    const host = new URL(c.req.url).host;
    if (host === publicHost || isAllowedHost(host)) return next();
    return problemResponse({
      type: "about:blank",
      status: 400,
      title: "Bad Request",
      detail:
        "This server does not answer for this host. Set PUBLIC_URL, or add the host to ALLOWED_HOSTS.",
    });
  });
  app.use(headAsGet(app));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineHashes(index, "script")],
        styleSrc: ["'self'", ...inlineHashes(index, "style")],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: "no-referrer",
      xFrameOptions: "DENY",
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(compress());

  const { probe } = options;
  const limiter = probe && createProbeLimiter(probe.maxPerUser, probe.maxTotal);
  if (options.upstream) {
    // Before the proxy: the page's server probes, after asking Stalwart who the caller is.
    if (probe && limiter) {
      const authorise = upstreamAccess(options.upstream, address);
      mountDelivery(app, { probe, limiter, authorise, collectedBy: "proxy" });
    }
    mountProxy(app, { upstream: options.upstream, address, publicUrl: options.publicUrl });
  } else if (options.store) {
    const { store, publicUrl } = options;
    const authenticate = authenticator(store, address);
    const hooks = options.testHooks ? newTestHooks() : undefined;
    if (probe && limiter) {
      const authorise = embeddedAccess(authenticate);
      mountDelivery(app, { probe, limiter, authorise, collectedBy: "embedded" });
      mountLiveDelivery(app, { probe, limiter, authenticate });
    }
    mountJmap(app, { store, authenticate, publicUrl, hooks });
    if (hooks) mountTestHooks(app, { store, authenticate, hooks });
  } else throw new Error("createApp needs a store or an upstream.");
  if (options.staticDir) {
    mountPages(app, {
      staticDir: options.staticDir,
      serveSourceMaps: options.serveSourceMaps === true,
    });
  }

  app.notFound(() => problemResponse(notFound().problem));
  app.onError((error) => {
    if (error instanceof ProblemError) return problemResponse(error.problem, error.headers);
    console.error(error);
    return problemResponse({
      type: "urn:ietf:params:jmap:error:serverFail",
      status: 500,
      title: "Internal Server Error",
      detail: "There was a problem while processing your request.",
    });
  });
  return app;
}
