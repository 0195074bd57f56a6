import { TransportError } from "../../../jmap/errors";
import { fetchOrFail, readLines, refusalOf } from "../probe-client";
import { type LiveEvent, parseLiveEvent } from "./events";

// The page's side of Stalwart's own live delivery test (shared delivery reference §3.1): a
// token from `/api/token/delivery` with the page's Authorization, then the event stream of
// `/api/live/delivery/{target}?token=…` read with fetch (not EventSource: its reading is
// bounded here, it can be aborted, and it does not reconnect on its own). Every event is
// checked with zod (events.ts). Embedded, the page's server answers; in proxy mode the real
// Stalwart does, from its own network and caches.

/** The token path and the stream's path prefix (shared delivery reference §3.1). */
export const LIVE_TOKEN_PATH = "/api/token/delivery";
export const LIVE_STREAM_PATH = "/api/live/delivery/";

/** One SSE event (its data lines together) over this many bytes is skipped, never held. */
export const MAX_EVENT_BYTES = 1 << 20;
/** A stream with more events than this is cut: Stalwart sends a few dozen per host. */
export const MAX_EVENTS = 5_000;
const MAX_TOKEN_BYTES = 4_096;

/** 403: the account lacks Stalwart's liveDeliveryTest permission (reference §3.1). */
export class LiveForbiddenError extends Error {
  override name = "LiveForbiddenError";
}

export interface LiveTestRequest {
  /** The domain or address (checked by parseTarget before it is sent). */
  target: string;
  /** Stalwart's `timeout` in seconds (≥ 1; its default 30). */
  timeoutSeconds?: number;
  /** The JMAP client's Authorization header (jmap/authorization.ts), for the token. */
  authorization: string;
  /** Aborting it cancels the request; the server stops the test. */
  signal?: AbortSignal;
  /** Each valid event, in order, `completed` included. */
  onEvent: (event: LiveEvent) => void;
  /** A frame that is not a valid event (bad JSON, fails its schema, too long): skipped. */
  onInvalidEvent?: (message: string) => void;
  fetch?: typeof fetch;
  /** Where the page is served (defaults to the page's own origin). */
  origin?: string;
}

type Fetch = typeof fetch;

/** A 403 of either request: the account lacks liveDeliveryTest (reference §3.1). */
const forbidden = (detail: string | undefined) =>
  new LiveForbiddenError(
    `Stalwart's own test needs the liveDeliveryTest permission${detail ? ` (${detail})` : ""}.`,
  );

/**
 * The live-test token: `GET LIVE_TOKEN_PATH` with `authorization`; resolves the plain-text
 * token (valid 60 s). Rejects with UnauthorizedError (401), LiveForbiddenError (403), or
 * TransportError (any other status, an empty or over-long body, no connection).
 */
export async function fetchLiveToken(options: {
  authorization: string;
  signal?: AbortSignal;
  fetch?: Fetch;
  origin?: string;
}): Promise<string> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const url = new URL(LIVE_TOKEN_PATH, options.origin ?? globalThis.location.origin);
  const response = await fetchOrFail(
    doFetch,
    url,
    { headers: { Accept: "text/plain", Authorization: options.authorization } },
    options.signal,
  );
  if (!response.ok) throw await refusalOf(response, forbidden);
  const lines: string[] = [];
  if (response.body) await readLines(response.body, MAX_TOKEN_BYTES, (line) => lines.push(line));
  const token = tokenOf(lines.join("").trim());
  if (token === "" || token.length > MAX_TOKEN_BYTES || lines.length > 2)
    throw new TransportError(
      "The server sent no usable token for Stalwart's test.",
      response.status,
    );
  return token;
}

/**
 * The token in a body: plain text per the shared delivery reference §3.1; the `{"data": …}`
 * envelope of Stalwart's other management answers is read too, should a version send it.
 */
function tokenOf(body: string): string {
  if (!body.startsWith("{")) return body;
  try {
    const data = (JSON.parse(body) as { data?: unknown }).data;
    return typeof data === "string" ? data.trim() : "";
  } catch {
    return "";
  }
}

/** Thrown inside the line reader to stop it at `completed` (or at MAX_EVENTS). */
const STOP = Symbol("stop reading");

/**
 * Runs Stalwart's own test for `target`: the token, then the stream. Resolves `true` at the
 * `completed` event (reading stops there), `false` when the stream ended without it or was
 * cut at MAX_EVENTS. Before the stream, rejects as fetchLiveToken does, or with
 * ProbeTargetError (400), ProbeBusyError (429), UnauthorizedError (401: the token expired),
 * TransportError; an abort rejects with the signal's reason (an AbortError DOMException).
 */
export async function runLiveTest(request: LiveTestRequest): Promise<boolean> {
  const doFetch = request.fetch ?? globalThis.fetch.bind(globalThis);
  const origin = request.origin ?? globalThis.location.origin;
  const token = await fetchLiveToken({ ...request, fetch: doFetch, origin });
  const url = new URL(`${LIVE_STREAM_PATH}${encodeURIComponent(request.target)}`, origin);
  url.searchParams.set("token", token);
  if (request.timeoutSeconds !== undefined)
    url.searchParams.set("timeout", String(request.timeoutSeconds));
  const response = await fetchOrFail(
    doFetch,
    url,
    { headers: { Accept: "text/event-stream" } },
    request.signal,
  );
  if (!response.ok) throw await refusalOf(response, forbidden);
  const body = response.body;
  if (!body) throw new TransportError("The server sent no events.", response.status);
  let count = 0;
  let isCompleted = false;
  const frames = sseFrames(
    MAX_EVENT_BYTES,
    (data) => {
      for (const item of data) {
        const event = parseLiveEvent(item);
        if (typeof event === "string") {
          request.onInvalidEvent?.(event);
          continue;
        }
        count += 1;
        request.onEvent(event);
        if (event.type === "completed") {
          isCompleted = true;
          throw STOP;
        }
        if (count >= MAX_EVENTS) {
          request.onInvalidEvent?.(
            `Stalwart's test sent over ${MAX_EVENTS} events; the rest is left out.`,
          );
          throw STOP;
        }
      }
    },
    (message) => request.onInvalidEvent?.(message),
  );
  try {
    await readLines(body, MAX_EVENT_BYTES, frames.line);
    frames.end();
  } catch (error) {
    if (error !== STOP) throw error;
    await body.cancel().catch(() => undefined);
  }
  return isCompleted;
}

/**
 * A server-sent-events reader (WHATWG HTML §9.2.6, the parts Stalwart uses): `data:` lines
 * gather until a blank line, then their text is parsed as JSON and handed over as an array
 * (Stalwart's data is `[<one event>]`; a lone object is taken as one). `event:`, `id:`,
 * `retry:` and comments are ignored. Data over `maxBytes` is reported and dropped.
 */
export function sseFrames(
  maxBytes: number,
  onData: (items: unknown[]) => void,
  onInvalid: (message: string) => void,
) {
  const overlong = `<a line over ${maxBytes} bytes>`;
  let data: string[] = [];
  let bytes = 0;
  let isTooLong = false;
  const dispatch = () => {
    const text = data.join("\n");
    const wasTooLong = isTooLong;
    data = [];
    bytes = 0;
    isTooLong = false;
    if (wasTooLong) return onInvalid(`An event of Stalwart's test was over ${maxBytes} bytes.`);
    if (text === "") return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return onInvalid(`An event of Stalwart's test was not JSON: ${text.slice(0, 80)}`);
    }
    onData(Array.isArray(json) ? json : [json]);
  };
  return {
    line(raw: string) {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line === "") return dispatch();
      if (line === overlong) {
        isTooLong = true;
        return;
      }
      if (line.startsWith(":")) return;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      if (field !== "data") return;
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      bytes += value.length + 1;
      if (bytes > maxBytes) isTooLong = true;
      else data.push(value);
    },
    /** The stream ended: an event without its blank line is dropped, as the standard says. */
    end() {
      data = [];
    },
  };
}
