import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono } from "hono";
import { compress } from "hono/compress";
import { getCookie } from "hono/cookie";
import { proxy } from "hono/proxy";
import { secureHeaders } from "hono/secure-headers";
import type { ProblemDetails } from "../src/jmap/protocol";
import { inSeconds, RateLimited, type User } from "./auth";
import { actionMethods } from "./jmap/action-methods";
import { limit, notFound, notJson, notRequest, ProblemError, unauthorized } from "./jmap/errors";
import { decodeUtf8, JsonSyntaxError, parseJson } from "./jmap/json";
import {
  MAX_SIZE_REQUEST,
  type MethodHandler,
  type ReloadFailures,
  runRequest,
} from "./jmap/methods";
import { outboundStrategyMethods } from "./jmap/outbound-strategy-methods";
import { sessionFor } from "./jmap/session";
import { tlsStrategyMethods } from "./jmap/tls-strategy-methods";
import type { Store } from "./store";

/** Every method the embedded server answers; anything else is `unknownMethod`. */
const METHODS: ReadonlyMap<string, MethodHandler> = new Map([
  ...tlsStrategyMethods,
  ...outboundStrategyMethods,
  ...actionMethods,
]);

/**
 * How long a sign-in refused by the rate limit (429) waits before it is answered, in ms: a
 * tarpit that bounds what a flood of guesses costs the server (README, "Signing in: limits").
 */
export const REFUSAL_DELAY_MS = 250;

/** The page's theme cookie: "light" or "dark"; none follows the system (src/components/theme.tsx). */
const THEME_COOKIE = "stalwart-tls-theme";

/** The page's routes: anything else that is not a file or the API is a 404. */
const PAGE_ROUTE = /^\/(sign-in|settings\/mta\/outbound\/tls-strategies(\/[^/]+)?)?\/?$/;

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
   * Off unless asked for; a normal start never mounts them.
   */
  testHooks?: boolean;
  /** Serve the build's source maps (*.map); off unless asked for. */
  serveSourceMaps?: boolean;
}

const LOCAL_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Localhost on any port: what a server answers when nothing else was configured. */
export const localHostsOnly = (host: string) =>
  LOCAL_NAMES.has(host.replace(/:\d+$/, "").toLowerCase());

/** What the test hooks change and observe. */
interface TestHooks extends ReloadFailures {
  failures: Record<string, unknown>[];
  /** The method names of each JMAP request since the start, in order. */
  requests: string[][];
}

function newTestHooks(): TestHooks {
  const hooks: TestHooks = {
    failures: [],
    requests: [],
    take: () => hooks.failures.shift() ?? null,
  };
  return hooks;
}

/** JSON as Stalwart sends it (shared wire reference §1). */
function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

function problemResponse(problem: ProblemDetails, headers: [string, string][] = []): Response {
  const response = new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "Content-Type": "application/problem+json" },
  });
  for (const [name, value] of headers) response.headers.append(name, value);
  return response;
}

/** Reads at most `max` bytes of the body, refusing larger ones without buffering them. */
async function readBody(request: Request, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) throw limit("maxSizeRequest");
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) throw limit("maxSizeRequest");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The TCP peer's address, as @hono/node-server passes the Node request. */
function peerAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
}

/** The method names of a request's calls, for the test hooks' request log. */
function methodNames(body: unknown): string[] {
  const calls = (body as { methodCalls?: unknown } | null)?.methodCalls;
  return Array.isArray(calls)
    ? calls.map((call) => (Array.isArray(call) && typeof call[0] === "string" ? call[0] : "?"))
    : [];
}

function mountJmap(app: Hono, store: Store, options: AppOptions, hooks: TestHooks | undefined) {
  const address = options.clientAddress ?? peerAddress;
  const authenticate = async (c: Context): Promise<User> => {
    let user: User | null;
    try {
      user = await store.authenticator.authenticate(c.req.header("Authorization"), address(c));
    } catch (error) {
      if (!(error instanceof RateLimited)) throw error;
      // A refusal is answered only after REFUSAL_DELAY_MS: a client that keeps guessing
      // (several connections, each sending the next guess on the answer) then sends a few
      // requests a second instead of thousands, and never crowds out other admins' saves.
      await new Promise((resolve) => setTimeout(resolve, REFUSAL_DELAY_MS));
      // Reference §2: repeated failures from one address wait, with Retry-After.
      throw new ProblemError(
        {
          type: "about:blank",
          status: 429,
          title: "Too Many Requests",
          detail: `Too many failed sign-ins from this address. Try again in ${inSeconds(error.retryAfterSeconds)}.`,
        },
        [["Retry-After", String(error.retryAfterSeconds)]],
      );
    }
    if (!user) throw unauthorized();
    return user;
  };
  const baseUrl = (c: Context) => options.publicUrl ?? new URL(c.req.url).origin;

  // RFC 8620 §2.2 and shared wire reference §1.
  app.get("/.well-known/jmap", (c) => {
    c.header("Cache-Control", "no-cache");
    return c.redirect("/jmap/session", 307);
  });
  app.get("/jmap/session", async (c) => {
    const user = c.req.header("Authorization") ? await authenticate(c) : null;
    return jsonResponse(sessionFor(user, baseUrl(c)));
  });

  const api = async (c: Context) => {
    const user = await authenticate(c);
    const contentType = c.req.header("Content-Type");
    // A missing Content-Type is accepted (reference §2).
    if (contentType && !/^application\/json\s*(;|$)/i.test(contentType)) throw notJson();
    const bytes = await readBody(c.req.raw, MAX_SIZE_REQUEST);
    let text = "";
    let body: ReturnType<typeof parseJson>;
    try {
      text = decodeUtf8(bytes);
      body = parseJson(text);
    } catch (error) {
      if (error instanceof JsonSyntaxError)
        throw notRequest(text || Buffer.from(bytes).toString("latin1"));
      throw error;
    }
    if (hooks) hooks.requests.push(methodNames(body));
    return jsonResponse(await runRequest(body, text, user, store, METHODS, hooks));
  };
  // The JMAP API is at the session's apiUrl only; POST /api is a 404, as on Stalwart.
  app.post("/jmap", api);
  app.post("/jmap/", api);

  app.get("/api/account", async (c) => {
    const user = await authenticate(c);
    return jsonResponse({ permissions: [...user.permissions], edition: "oss", locale: "en" });
  });

  if (hooks) {
    // Test hooks: for the administrator only, like the settings they reveal.
    const authenticateAdmin = async (c: Context) => {
      const user = await authenticate(c);
      if (!user.isAdministrator)
        throw new ProblemError({ type: "about:blank", status: 403, title: "Forbidden" });
      return user;
    };
    app.post("/__test/reload-failures", async (c) => {
      await authenticateAdmin(c);
      let body: { failures?: Record<string, unknown>[] };
      try {
        body = JSON.parse(await c.req.text()) as { failures?: Record<string, unknown>[] };
      } catch {
        throw new ProblemError({ type: "about:blank", status: 400, title: "Bad Request" });
      }
      hooks.failures = Array.isArray(body?.failures) ? body.failures : [];
      return jsonResponse({ queued: hooks.failures.length });
    });
    app.get("/__test/running", async (c) => {
      await authenticateAdmin(c);
      return jsonResponse({
        strategies: [...store.running.strategies.values()],
        outbound: store.running.outbound,
      });
    });
    app.get("/__test/requests", async (c) => {
      await authenticateAdmin(c);
      return jsonResponse({ requests: hooks.requests });
    });
  }
}

/**
 * Headers a client may not set for the upstream, which may trust them for the client's
 * address or the public URL: the proxy states the X-Forwarded ones itself.
 */
const FORWARDED = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-forwarded-prefix",
  "x-forwarded-server",
  "x-real-ip",
  "x-client-ip",
  "x-cluster-client-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "fastly-client-ip",
];

/**
 * Where a proxied redirect may lead: `location` read against the upstream (as the browser
 * would read it against this page), rewritten to `ownOrigin` when it points at the upstream,
 * or null when it points anywhere else.
 */
export function sameOriginRedirect(
  location: string,
  upstreamOrigin: string,
  ownOrigin: string,
): string | null {
  let target: URL;
  try {
    target = new URL(location, upstreamOrigin);
  } catch {
    return null;
  }
  if (target.origin !== upstreamOrigin) return null;
  return ownOrigin + target.pathname + target.search + target.hash;
}

function mountProxy(app: Hono, upstream: string, options: AppOptions) {
  const target = new URL(upstream);
  const upstreamOrigin = target.origin;
  const address = options.clientAddress ?? peerAddress;
  const forward = async (c: Context) => {
    const incoming = new URL(c.req.url);
    const url = new URL(incoming.pathname + incoming.search, target);
    const headers = new Headers(c.req.raw.headers);
    headers.delete("host");
    for (const name of FORWARDED) headers.delete(name);
    headers.set("X-Forwarded-For", address(c));
    headers.set("X-Forwarded-Proto", incoming.protocol.replace(":", ""));
    headers.set("X-Forwarded-Host", incoming.host);
    let upstreamResponse: Response;
    try {
      upstreamResponse = await proxy(url, { raw: c.req.raw, headers, redirect: "manual" });
    } catch (error) {
      return problemResponse({
        type: "about:blank",
        status: 502,
        title: "Bad Gateway",
        detail: `Could not reach the Stalwart server at ${upstreamOrigin}: ${(error as Error).message}`,
      });
    }
    const responseHeaders = new Headers(upstreamResponse.headers);
    // The page is served from this origin: nothing upstream may widen who can read it.
    for (const name of [...responseHeaders.keys()]) {
      if (name.toLowerCase().startsWith("access-control-")) responseHeaders.delete(name);
    }
    const ownOrigin = options.publicUrl ?? incoming.origin;
    // A redirect stays on this origin: one to the upstream's own address is rewritten to this
    // one, and one to anywhere else is not passed on. The Location is parsed as a browser
    // parses it (WHATWG URL), so "/\\host", "/<TAB>/host" and "https://<upstream>.evil" are
    // seen for what they are, not judged by their first characters.
    const location = responseHeaders.get("Location");
    if (location !== null) {
      const redirect = sameOriginRedirect(location, upstreamOrigin, ownOrigin);
      if (redirect === null) {
        return problemResponse({
          type: "about:blank",
          status: 502,
          title: "Bad Gateway",
          detail: "The Stalwart server redirected to another address; the page stays on its own.",
        });
      }
      responseHeaders.set("Location", redirect);
    }
    // The session's URLs must point back here, or the browser would leave this origin.
    if (incoming.pathname === "/jmap/session" && upstreamResponse.ok) {
      let session: Record<string, unknown>;
      try {
        session = (await upstreamResponse.json()) as Record<string, unknown>;
        if (typeof session !== "object" || session === null) throw new Error("not an object");
      } catch {
        return problemResponse({
          type: "about:blank",
          status: 502,
          title: "Bad Gateway",
          detail: "The Stalwart server's session was not JSON.",
        });
      }
      for (const key of ["apiUrl", "downloadUrl", "uploadUrl", "eventSourceUrl"]) {
        const value = session[key];
        if (typeof value === "string") session[key] = value.replace(/^https?:\/\/[^/]+/, ownOrigin);
      }
      responseHeaders.delete("content-length");
      responseHeaders.delete("content-encoding");
      return new Response(JSON.stringify(session), {
        status: upstreamResponse.status,
        headers: responseHeaders,
      });
    }
    return new Response(upstreamResponse.body, {
      status: upstreamResponse.status,
      statusText: upstreamResponse.statusText,
      headers: responseHeaders,
    });
  };
  app.all("/.well-known/jmap", forward);
  app.all("/jmap", forward);
  app.all("/jmap/*", forward);
  app.all("/api/*", forward);
  app.all("/api", forward);
}

/** index.html as built, or a bare page when there is none (a server started without a build). */
function readIndex(root: string): string {
  try {
    return readFileSync(join(root, "index.html"), "utf8");
  } catch {
    return '<!doctype html><html lang="en"><title>TLS Strategies · Stalwart</title><div id="root"></div></html>';
  }
}

/**
 * The CSP sources that allow the inline `<style>` or `<script>` elements (without attributes)
 * of index.html, each by its SHA-256 (CSP Level 3 hash-source): the stylesheet and the
 * early-requests script the build inlined (vite.config.ts). No other inline style or script
 * can run.
 */
export function inlineHashes(html: string, element: "style" | "script"): string[] {
  return [...html.matchAll(new RegExp(`<${element}>([\\s\\S]*?)</${element}>`, "g"))].map(
    (match) =>
      `'sha256-${createHash("sha256")
        .update(match[1] ?? "")
        .digest("base64")}'`,
  );
}

/**
 * Which part of the frame in index.html a route shows before the script runs: the list's
 * frame on the list, the header and breadcrumb on the form's pages, nothing on the sign-in
 * page (whose own page is drawn by the script) or a page that does not exist.
 */
export type Frame = "list" | "layout" | "none";

function frameOf(path: string): Frame {
  const normalized = path.replace(/\/$/, "");
  if (normalized === "/settings/mta/outbound/tls-strategies" || normalized === "") return "list";
  if (normalized.startsWith("/settings/mta/outbound/tls-strategies/")) return "layout";
  return "none";
}

type Encoding = "br" | "gzip" | null;

/** The best encoding the client takes: brotli, else gzip, else none (no q-value weighing). */
function acceptedEncoding(header: string | undefined): Encoding {
  const accepted = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name = "", ...parameters] = part.split(";").map((piece) => piece.trim().toLowerCase());
    // "br;q=0" refuses brotli (RFC 9110 §12.5.3).
    if (parameters.some((parameter) => /^q=0(\.0*)?$/.test(parameter))) continue;
    accepted.add(name);
  }
  return accepted.has("br") ? "br" : accepted.has("gzip") ? "gzip" : null;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * index.html per frame, theme and encoding, compressed once and kept: the page is small and
 * its variants few (3 × 3 × 3), so no request compresses it again.
 */
class PageVariants {
  readonly #html: string;
  readonly #cache = new Map<
    string,
    Promise<{ body: Uint8Array<ArrayBuffer>; encoding: Encoding }>
  >();

  constructor(html: string) {
    this.#html = html;
  }

  get(frame: Frame, theme: "light" | "dark" | "system", encoding: Encoding) {
    const key = `${frame} ${theme} ${encoding}`;
    let variant = this.#cache.get(key);
    if (!variant) {
      variant = this.#encode(this.#render(frame, theme), encoding);
      this.#cache.set(key, variant);
      // A compression that failed is tried again by the next request, not kept.
      variant.catch(() => this.#cache.delete(key));
    }
    return variant;
  }

  #render(frame: Frame, theme: "light" | "dark" | "system"): string {
    let html = this.#html;
    if (frame === "none") html = html.replace(/<!--frame-->[\s\S]*<!--\/frame-->/, "");
    else if (frame === "layout") html = html.replace(/<!--list-->[\s\S]*<!--\/list-->/, "");
    // The theme the admin chose is on <html> before anything is drawn: no flash of the other.
    if (theme !== "system") {
      html = html
        .replace('<html lang="en">', `<html lang="en" data-theme="${theme}">`)
        .replace(`<option value="${theme}">`, `<option value="${theme}" selected>`);
    }
    return html;
  }

  async #encode(html: string, encoding: Encoding) {
    const raw = Buffer.from(html, "utf8");
    if (encoding === "br") {
      const body = await brotli(raw, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      });
      return { body: new Uint8Array(body), encoding };
    }
    if (encoding === "gzip") {
      return { body: new Uint8Array(await gzipped(raw, { level: 9 })), encoding };
    }
    return { body: new Uint8Array(raw), encoding };
  }
}

function mountStatic(app: Hono, staticDir: string, options: AppOptions) {
  const root = resolve(staticDir);
  if (!options.serveSourceMaps) {
    app.get("*", async (c, next) => (c.req.path.endsWith(".map") ? c.notFound() : next()));
  }
  app.use(
    "/assets/*",
    serveStatic({
      root,
      // The build wrote `.br` and `.gz` beside each file (vite.config.ts, precompress): sent
      // as they are, by Accept-Encoding, never compressed again per request.
      precompressed: true,
      // Vite puts a content hash in every asset's name, so it may be cached for good.
      onFound: (_path, c) => {
        c.header("Cache-Control", "public, max-age=31536000, immutable");
        c.header("Vary", "Accept-Encoding");
      },
    }),
  );
  const pages = new PageVariants(readIndex(root));
  const page = async (c: Context, status: 200 | 404) => {
    c.header("Cache-Control", "no-cache");
    c.header("Vary", "Cookie, Accept-Encoding");
    c.header("Content-Type", "text/html; charset=UTF-8");
    const theme = getCookie(c, THEME_COOKIE);
    const variant = await pages.get(
      status === 200 ? frameOf(c.req.path) : "none",
      theme === "light" || theme === "dark" ? theme : "system",
      acceptedEncoding(c.req.header("Accept-Encoding")),
    );
    if (variant.encoding) c.header("Content-Encoding", variant.encoding);
    return c.body(variant.body, status);
  };
  // index.html only ever goes out through page(), which puts the admin's theme on it.
  app.get("/", (c) => page(c, 200));
  app.get("/index.html", (c) => page(c, 200));
  app.use(
    "*",
    serveStatic({
      root,
      onFound: (path, c) =>
        c.header(
          "Cache-Control",
          path.endsWith("index.html") ? "no-cache" : "public, max-age=3600",
        ),
    }),
  );
  // The page's routes are the UI's: index.html. Other paths are 404s; a browser still gets
  // the page, which says "Page not found", with the 404 status.
  app.get("*", async (c, next) => {
    if (PAGE_ROUTE.test(c.req.path)) return page(c, 200);
    if ((c.req.header("Accept") ?? "").includes("text/html")) return page(c, 404);
    return next();
  });
}

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  const index = options.staticDir ? readIndex(resolve(options.staticDir)) : "";
  const isAllowedHost = options.isAllowedHost ?? localHostsOnly;
  const publicHost = options.publicUrl ? new URL(options.publicUrl).host : null;
  // First of all: a Host this server does not answer for gets nothing else (issue 9 §4).
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
  // HEAD is GET without the body (RFC 9110 §9.3.2): the same status and headers, Content-Length
  // and Vary included, from the GET route itself rather than from each route's own idea of it.
  // A stream (text/event-stream) has no length to tell; its body is not read.
  app.use(async (c, next) => {
    if (c.req.method !== "HEAD") return next();
    const get = await app.fetch(
      new Request(c.req.raw.url, { method: "GET", headers: c.req.raw.headers }),
      c.env,
    );
    const headers = new Headers(get.headers);
    if ((headers.get("Content-Type") ?? "").startsWith("text/event-stream")) {
      await get.body?.cancel();
      headers.delete("Content-Length");
    } else {
      headers.set("Content-Length", String((await get.arrayBuffer()).byteLength));
    }
    return new Response(null, { status: get.status, statusText: get.statusText, headers });
  });
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

  if (options.upstream) mountProxy(app, options.upstream, options);
  else if (options.store)
    mountJmap(app, options.store, options, options.testHooks ? newTestHooks() : undefined);
  else throw new Error("createApp needs a store or an upstream.");
  if (options.staticDir) mountStatic(app, options.staticDir, options);

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
