import type { Context, Hono } from "hono";
import type { DeliveryFacts } from "../../src/stalwart/delivery/facts";
import { type DeliveryFrame, PROBE_PATH } from "../../src/stalwart/delivery/frames";
import type { ProbeConfig } from "../delivery/config";
import type { ProbeLimiter } from "../delivery/limiter";
import { probeDestination } from "../delivery/probe-destination";
import { parseTarget } from "../delivery/target";
import { ProblemError } from "../jmap/errors";
import { type AuthoriseProbe, busy, probeForbidden } from "./delivery-access";

// The page's own "test a destination" endpoint (README "Testing a destination"): GET
// /probe/delivery, on the page's origin and outside every path proxy mode forwards to Stalwart,
// streams the probe's frames as NDJSON while server/delivery collects them, and stops the probe
// when the client goes away. Who may call it: delivery-access.ts. How many at once:
// delivery/limiter.ts.

export interface DeliveryRoutes {
  probe: ProbeConfig;
  limiter: ProbeLimiter;
  authorise: AuthoriseProbe;
  /** Written into the `start` frame's source: "proxy" = not the mail server's vantage point. */
  collectedBy: "embedded" | "proxy";
}

/** The `timeout` parameter's range (seconds) and default, as Stalwart's live test has it. */
export const PROBE_TIMEOUT_S = { min: 1, max: 120, default: 30 } as const;

const badRequest = (detail: string) =>
  new ProblemError({ type: "about:blank", status: 400, title: "Bad Request", detail });

/**
 * `timeout` (whole seconds, 1..120; default 30) in ms.
 * @throws ProblemError 400 naming the parameter.
 */
export function probeDeadlineMs(text: string | undefined): number {
  if (text === undefined || text === "") return PROBE_TIMEOUT_S.default * 1000;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < PROBE_TIMEOUT_S.min || seconds > PROBE_TIMEOUT_S.max)
    throw badRequest(
      `timeout must be a whole number of seconds from ${PROBE_TIMEOUT_S.min} to ${PROBE_TIMEOUT_S.max} (it is "${text}").`,
    );
  return seconds * 1000;
}

/** The start frame's facts with who collected them (`source.collectedBy`). */
function withCollector(frame: DeliveryFrame, collectedBy: DeliveryRoutes["collectedBy"]) {
  if (frame.type !== "start") return frame;
  const source: DeliveryFacts["source"] = { ...frame.facts.source, collectedBy };
  return { ...frame, facts: { ...frame.facts, source } };
}

/**
 * Mounts `GET PROBE_PATH?target=…[&timeout=s]`: 401 (as /jmap answers it) without valid
 * credentials, 403 without liveDeliveryTest, 400 for a refused target or timeout, 429 when the
 * limiter is full; else 200 NDJSON, one frame per line, `start` first and `done` last.
 */
export function mountDelivery(app: Hono, routes: DeliveryRoutes) {
  app.get(PROBE_PATH, async (c: Context) => {
    const caller = await routes.authorise(c);
    if (!caller.canTest) throw probeForbidden();
    const parsed = parseTarget(c.req.query("target") ?? "");
    if ("error" in parsed) throw badRequest(parsed.error);
    const deadlineMs = probeDeadlineMs(c.req.query("timeout"));
    const slot = routes.limiter.acquire(caller.user);
    if ("busy" in slot) throw busy(slot.busy);

    // Stopped when the client goes away (@hono/node-server aborts the request's signal and
    // cancels the body) or when the probe ends; the slot is freed once the probe has ended.
    const stop = new AbortController();
    const signal = AbortSignal.any([c.req.raw.signal, stop.signal]);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (frame: DeliveryFrame) => {
          const line = `${JSON.stringify(withCollector(frame, routes.collectedBy))}\n`;
          try {
            controller.enqueue(encoder.encode(line));
          } catch {
            // The client is gone: nothing more to send.
          }
        };
        probeDestination(parsed.target.input, routes.probe, { signal, deadlineMs, onFrame: send })
          .catch((error: unknown) => send({ type: "error", text: (error as Error).message }))
          .finally(() => {
            slot.release();
            try {
              controller.close();
            } catch {
              // Already cancelled by the client.
            }
          });
      },
      cancel() {
        stop.abort("stopped by the client");
      },
    });
    return new Response(body, {
      status: 200,
      headers: {
        "Content-Type": "application/x-ndjson; charset=utf-8",
        "Cache-Control": "no-store",
      },
    });
  });
}
