import type { Context, Hono } from "hono";
import { LIVE_DELIVERY_TEST_PERMISSION } from "../../src/jmap/protocol";
import type { User } from "../auth";
import type { ProbeConfig } from "../delivery/config";
import type { ProbeLimiter } from "../delivery/limiter";
import { formatSseFrame, liveDeliveryTest } from "../delivery/live/live-test";
import { createLiveTokens } from "../delivery/live/live-tokens";
import { parseTarget } from "../delivery/target";
import { ProblemError, unauthorized } from "../jmap/errors";
import type { Authenticate } from "./authenticate";
import { busy } from "./delivery-access";

// The embedded server's copy of Stalwart's own live delivery test (shared delivery reference
// §3.1): `/api/token/delivery` gives a token, `/api/live/delivery/{target}?token=…` streams the
// events of live/live-test.ts as server-sent events, byte for byte. Beyond Stalwart, for
// safety: the probe's limiter, its address filter, `timeout` capped at 120 s and the whole
// test at 5 minutes. In proxy mode these paths go to the real Stalwart instead.

export interface LiveDeliveryRoutes {
  probe: ProbeConfig;
  limiter: ProbeLimiter;
  authenticate: Authenticate;
}

/** Stalwart's `timeout` default (s) and this server's cap (s) and whole-test bound (ms). */
export const LIVE_TIMEOUT_S = { default: 30, max: 120 } as const;
export const LIVE_TEST_DEADLINE_MS = 300_000;

/** Stalwart's refusal of a permission it checks (assert_has_permission) [I: text]. */
const forbidden = () =>
  new ProblemError({
    type: "about:blank",
    status: 403,
    title: "Forbidden",
    detail: "You are not authorized to perform this action.",
  });

/** `timeout`: whole seconds ≥ 1 (Stalwart's default 30 when absent or unreadable), ≤ 120. */
export function liveTimeoutMs(text: string | undefined): number {
  const seconds = /^\d+$/.test(text ?? "") ? Number(text) : LIVE_TIMEOUT_S.default;
  return Math.min(Math.max(seconds, 1), LIVE_TIMEOUT_S.max) * 1000;
}

/**
 * Mounts `/api/token/delivery` (any method; 401 without valid credentials, 403 without
 * liveDeliveryTest; else a plain-text token valid 60 s) and `GET /api/live/delivery/{target}
 * ?token=…[&timeout=s]` (token or Authorization; 400 for a target parseTarget refuses, 429
 * when the limiter is full; else text/event-stream of `event: event\ndata: [<json>]\n\n`
 * frames ending with `completed`), per shared delivery reference §3.1–§3.2.
 */
export function mountLiveDelivery(app: Hono, routes: LiveDeliveryRoutes) {
  const tokens = createLiveTokens<User>();
  const permitted = (user: User) => {
    if (!user.permissions.has(LIVE_DELIVERY_TEST_PERMISSION)) throw forbidden();
    return user;
  };

  // Any method (http/src/api/mod.rs l.112-185); the body is the token in plain text.
  app.all("/api/token/delivery", async (c) => {
    const user = permitted(await routes.authenticate(c));
    return new Response(tokens.issue(user), {
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  });

  app.get("/api/live/delivery/:target", async (c: Context) => {
    // `?token=` is accepted here only (mod.rs l.254-305); an Authorization header also works.
    const token = c.req.query("token");
    let user: User | null = null;
    if (token !== undefined && !c.req.header("Authorization")) user = tokens.redeem(token);
    else user = await routes.authenticate(c);
    if (!user) throw unauthorized();
    permitted(user);
    const target = (c.req.param("target") ?? "").toLowerCase();
    const parsed = parseTarget(target);
    if ("error" in parsed)
      throw new ProblemError({
        type: "about:blank",
        status: 400,
        title: "Bad Request",
        detail: parsed.error,
      });
    const slot = routes.limiter.acquire(user.name);
    if ("busy" in slot) throw busy(slot.busy);

    const stop = new AbortController();
    const signal = AbortSignal.any([
      c.req.raw.signal,
      stop.signal,
      AbortSignal.timeout(LIVE_TEST_DEADLINE_MS),
    ]);
    const events = liveDeliveryTest(target, routes.probe, {
      timeoutMs: liveTimeoutMs(c.req.query("timeout")),
      signal,
    });
    const encoder = new TextEncoder();
    const finish = async () => {
      clearTimeout(hardStop);
      stop.abort();
      await events.return(undefined);
      slot.release();
    };
    // A client that keeps the connection but stops reading would hold the generator (and the
    // slot) at a yield: past the whole-test bound it is ended all the same.
    const hardStop = setTimeout(() => void finish(), LIVE_TEST_DEADLINE_MS);
    hardStop.unref();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await events.next();
          if (next.done) {
            controller.close();
            clearTimeout(hardStop);
            slot.release();
          } else controller.enqueue(encoder.encode(formatSseFrame(next.value)));
        } catch (error) {
          await finish();
          controller.error(error);
        }
      },
      cancel: finish,
    });
    return new Response(body, {
      headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-store" },
    });
  });
}
