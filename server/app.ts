import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono } from "hono";
import { compress } from "hono/compress";
import { proxy } from "hono/proxy";
import { secureHeaders } from "hono/secure-headers";
import type { ProblemDetails, SetError } from "../src/jmap/protocol";
import { actionMethods, type ReloadFailures } from "./actions";
import type { User } from "./auth";
import { limit, notFound, notJson, notRequest, ProblemError, unauthorized } from "./jmap/errors";
import { MAX_SIZE_REQUEST, type MethodHandler, runRequest } from "./jmap/methods";
import { sessionFor } from "./jmap/session";
import { outboundStrategyMethods } from "./outbound-strategy";
import type { Store } from "./store";
import { tlsStrategyMethods } from "./tls-strategies";

/** Every method the embedded server answers; anything else is `unknownMethod`. */
const METHODS: Record<string, MethodHandler> = {
  ...tlsStrategyMethods,
  ...outboundStrategyMethods,
  ...actionMethods,
};

/** Paths that belong to the API, never to the page (no SPA fallback there). */
export const API_PATH = /^\/(\.well-known\/|jmap(\/|$)|api(\/|$))/;

export interface AppOptions {
  store?: Store;
  /** STALWART_URL: proxy the API to a real Stalwart instead of answering it. */
  upstream?: string;
  /** The built UI; without it only the API is served (the Vite dev server serves the UI). */
  staticDir?: string;
  /**
   * For the end-to-end tests only (STALWART_TEST_HOOKS=1): routes under /__test/ that make
   * the next settings reload fail, show the running configuration and count JMAP requests.
   * Off unless asked for; a normal start never mounts them.
   */
  testHooks?: boolean;
}

/** What the test hooks change and observe. */
interface TestHooks extends ReloadFailures {
  failures: SetError[];
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

function problemResponse(problem: ProblemDetails, headers: [string, string][] = []): Response {
  const response = new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "Content-Type": "application/problem+json" },
  });
  for (const [name, value] of headers) response.headers.append(name, value);
  return response;
}

/** Reads at most `max` bytes of the body, refusing larger ones without buffering them. */
async function readBody(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) throw limit("maxSizeRequest", `The request is larger than ${max} bytes.`);
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) throw limit("maxSizeRequest", `The request is larger than ${max} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The method names of a request's calls, for the test hooks' request log. */
function methodNames(body: unknown): string[] {
  const calls = (body as { methodCalls?: unknown } | null)?.methodCalls;
  return Array.isArray(calls)
    ? calls.map((call) => (Array.isArray(call) && typeof call[0] === "string" ? call[0] : "?"))
    : [];
}

function origin(c: Context): string {
  return new URL(c.req.url).origin;
}

function mountJmap(app: Hono, store: Store, hooks: TestHooks | undefined) {
  const accountIds = new Set(store.authenticator.users.map((u) => u.accountId));
  const authenticate = async (c: Context): Promise<User> => {
    const user = await store.authenticator.authenticate(c.req.header("Authorization"));
    if (!user) throw unauthorized();
    return user;
  };

  // RFC 8620 §2.2 and shared wire reference §1.
  app.get("/.well-known/jmap", (c) => c.redirect("/jmap/session", 307));
  app.get("/jmap/session", async (c) => {
    const user = c.req.header("Authorization") ? await authenticate(c) : null;
    return c.json(sessionFor(user, origin(c)));
  });

  const api = async (c: Context) => {
    const user = await authenticate(c);
    const contentType = c.req.header("Content-Type");
    if (contentType && !/^application\/json\s*(;|$)/i.test(contentType)) {
      throw notJson(`Expected application/json, got ${contentType}.`);
    }
    const text = await readBody(c.req.raw, MAX_SIZE_REQUEST);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw notRequest("The request body is not valid JSON.");
    }
    if (hooks) hooks.requests.push(methodNames(body));
    return c.json(await runRequest(body, user, store, METHODS, accountIds, hooks));
  };
  app.post("/jmap", api);
  app.post("/jmap/", api);
  // The public docs post to /api; a real Stalwart answers 404 there, the UI never uses it.
  app.post("/api", api);

  app.get("/api/account", async (c) => {
    const user = await authenticate(c);
    return c.json({ permissions: [...user.permissions], edition: "oss", locale: "en" });
  });

  if (hooks) {
    // Test hooks: for the administrator only, like the settings they reveal.
    const authenticateAdmin = async (c: Context) => {
      const user = await authenticate(c);
      if (user.name !== "admin")
        throw new ProblemError({ type: "about:blank", status: 403, title: "Forbidden" });
      return user;
    };
    app.post("/__test/reload-failures", async (c) => {
      await authenticateAdmin(c);
      let body: { failures?: SetError[] };
      try {
        body = JSON.parse(await c.req.text()) as { failures?: SetError[] };
      } catch {
        throw new ProblemError({ type: "about:blank", status: 400, title: "Bad Request" });
      }
      hooks.failures = Array.isArray(body?.failures) ? body.failures : [];
      return c.json({ queued: hooks.failures.length });
    });
    app.get("/__test/running", async (c) => {
      await authenticateAdmin(c);
      return c.json({
        strategies: [...store.running.strategies.values()],
        outbound: store.running.outbound,
      });
    });
    app.get("/__test/requests", async (c) => {
      await authenticateAdmin(c);
      return c.json({ requests: hooks.requests });
    });
  }
}

function mountProxy(app: Hono, upstream: string) {
  const target = new URL(upstream);
  const upstreamOrigin = target.origin;
  const forward = async (c: Context) => {
    const incoming = new URL(c.req.url);
    const url = new URL(incoming.pathname + incoming.search, target);
    const headers = new Headers(c.req.raw.headers);
    headers.delete("host");
    let response: Response;
    try {
      response = await proxy(url, { raw: c.req.raw, headers, redirect: "manual" });
    } catch (error) {
      return problemResponse({
        type: "about:blank",
        status: 502,
        title: "Bad Gateway",
        detail: `Could not reach the Stalwart server at ${upstreamOrigin}: ${(error as Error).message}`,
      });
    }
    const ownOrigin = incoming.origin;
    const location = response.headers.get("Location");
    if (location?.startsWith(upstreamOrigin)) {
      response.headers.set("Location", ownOrigin + location.slice(upstreamOrigin.length));
    }
    // The session's URLs must point back here, or the browser would leave this origin.
    if (incoming.pathname === "/jmap/session" && response.ok) {
      const session = (await response.json()) as Record<string, unknown>;
      for (const key of ["apiUrl", "downloadUrl", "uploadUrl", "eventSourceUrl"]) {
        const value = session[key];
        if (typeof value === "string") session[key] = value.replace(/^https?:\/\/[^/]+/, ownOrigin);
      }
      const rewritten = new Headers(response.headers);
      rewritten.delete("content-length");
      return new Response(JSON.stringify(session), { status: response.status, headers: rewritten });
    }
    return response;
  };
  app.all("/.well-known/jmap", forward);
  app.all("/jmap", forward);
  app.all("/jmap/*", forward);
  app.all("/api/*", forward);
  app.all("/api", forward);
}

function mountStatic(app: Hono, staticDir: string) {
  const root = resolve(staticDir);
  app.use(
    "/assets/*",
    serveStatic({
      root,
      // Vite puts a content hash in every asset's name, so it may be cached for good.
      onFound: (_path, c) => c.header("Cache-Control", "public, max-age=31536000, immutable"),
    }),
  );
  app.get("/assets/*", () =>
    problemResponse({ type: "about:blank", status: 404, title: "Not Found" }),
  );
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
  let index: Promise<string> | undefined;
  // Page routes (/settings/mta/outbound/tls-strategies/…) are the UI's: serve index.html.
  app.get("*", async (c, next) => {
    if (API_PATH.test(c.req.path)) return next();
    index ??= readFile(join(root, "index.html"), "utf8");
    c.header("Cache-Control", "no-cache");
    return c.html(await index);
  });
}

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
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

  if (options.upstream) mountProxy(app, options.upstream);
  else if (options.store)
    mountJmap(app, options.store, options.testHooks ? newTestHooks() : undefined);
  else throw new Error("createApp needs a store or an upstream.");
  if (options.staticDir) mountStatic(app, options.staticDir);

  app.notFound(() => problemResponse(notFound().problem));
  app.onError((error) => {
    if (error instanceof ProblemError) return problemResponse(error.problem, error.headers);
    console.error(error);
    return problemResponse({
      type: "urn:ietf:params:jmap:error:serverFail",
      status: 500,
      title: "Internal Server Error",
      detail: "The server could not complete the request; nothing was acknowledged.",
    });
  });
  return app;
}
