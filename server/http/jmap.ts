import type { Context, Hono } from "hono";
import type { MethodHandler } from "../jmap/dispatch";
import { runRequest } from "../jmap/dispatch";
import { notJson, notRequest } from "../jmap/errors";
import { decodeUtf8, JsonSyntaxError, parseJson } from "../jmap/json";
import { readBody } from "../jmap/limits";
import { actionMethods } from "../jmap/methods/action-methods";
import { outboundStrategyMethods } from "../jmap/methods/outbound-strategy-methods";
import { tlsStrategyMethods } from "../jmap/methods/tls-strategy-methods";
import { sessionFor } from "../jmap/session";
import type { Store } from "../store";
import type { Authenticate } from "./authenticate";
import { jsonResponse } from "./responses";
import type { TestHooks } from "./test-hooks";

// The embedded JMAP server's routes (RFC 8620 §2, §3; shared wire reference §1, §2): discovery,
// the session, the API at the session's apiUrl, and the account's permissions.

/** Every method the embedded server answers; anything else is `unknownMethod`. */
const METHODS: ReadonlyMap<string, MethodHandler> = new Map([
  ...tlsStrategyMethods,
  ...outboundStrategyMethods,
  ...actionMethods,
]);

/** The method names of a request's calls, for the test hooks' request log. */
function methodNames(body: unknown): string[] {
  const calls = (body as { methodCalls?: unknown } | null)?.methodCalls;
  return Array.isArray(calls)
    ? calls.map((call) => (Array.isArray(call) && typeof call[0] === "string" ? call[0] : "?"))
    : [];
}

export interface JmapRoutes {
  store: Store;
  authenticate: Authenticate;
  /** PUBLIC_URL: the session's URLs are built from it, never from a request's Host header. */
  publicUrl: string | undefined;
  /** The end-to-end tests' hooks, when on: reload failures to inject, the request log. */
  hooks: TestHooks | undefined;
}

export function mountJmap(app: Hono, { store, authenticate, publicUrl, hooks }: JmapRoutes) {
  const baseUrl = (c: Context) => publicUrl ?? new URL(c.req.url).origin;

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
    const bytes = await readBody(c.req.raw);
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
}
