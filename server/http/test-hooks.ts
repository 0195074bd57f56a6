import type { Hono } from "hono";
import type { ReloadFailures } from "../jmap/dispatch";
import { ProblemError } from "../jmap/errors";
import type { Store } from "../store";
import type { Authenticate } from "./authenticate";
import { jsonResponse } from "./responses";

// For the end-to-end tests only (STALWART_TEST_HOOKS=1, createApp's `testHooks`): routes under
// /__test/ that make the next settings reloads fail, show the running configuration and list
// the JMAP requests received. Off unless asked for; a normal start never mounts them.

/** What the test hooks change and observe. */
export interface TestHooks extends ReloadFailures {
  failures: Record<string, unknown>[];
  /** The method names of each JMAP request since the start, in order. */
  requests: string[][];
}

export function newTestHooks(): TestHooks {
  const hooks: TestHooks = {
    failures: [],
    requests: [],
    take: () => hooks.failures.shift() ?? null,
  };
  return hooks;
}

export function mountTestHooks(
  app: Hono,
  { store, authenticate, hooks }: { store: Store; authenticate: Authenticate; hooks: TestHooks },
) {
  // For the administrator only, like the settings they reveal.
  const authenticateAdmin: Authenticate = async (c) => {
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
