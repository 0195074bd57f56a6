import { TransportError, UnauthorizedError } from "../../jmap/errors";
import { problemSchema } from "../../jmap/wire";
import { type DeliveryFrame, frameSchema, PROBE_PATH } from "./frames";

// The page's side of "test a destination": one GET of the page's own probe endpoint, its
// NDJSON body read line by line (each line bounded), every frame checked with zod. No React,
// no hooks: the view (features/delivery-test) and the form's region build on it.

/** A line longer than this is not a frame of ours: it is skipped and reported, never held. */
export const MAX_FRAME_BYTES = 1 << 20;

/** 400: the server refused the target (its parseTarget text, as the page's own check words it). */
export class ProbeTargetError extends Error {
  override name = "ProbeTargetError";
}

/** 403: the caller lacks Stalwart's liveDeliveryTest permission. */
export class ProbeForbiddenError extends Error {
  override name = "ProbeForbiddenError";
}

/** 429: as many tests run as the server allows; `retryAfterSeconds` from Retry-After. */
export class ProbeBusyError extends Error {
  override name = "ProbeBusyError";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface ProbeRequest {
  /** The domain or address to test (checked by parseTarget before it is sent). */
  target: string;
  /** Whole-test deadline in seconds (1..120; the server's default is 30). */
  timeoutSeconds?: number;
  /** The JMAP client's Authorization header (jmap/authorization.ts). */
  authorization: string;
  /** Aborting it stops the test: the request is cancelled and the server stops probing. */
  signal?: AbortSignal;
  /** Each valid frame, in order. */
  onFrame: (frame: DeliveryFrame) => void;
  /** A line that is not a valid frame (bad JSON, fails frameSchema, too long): shown, skipped. */
  onInvalidFrame?: (message: string) => void;
  fetch?: typeof fetch;
  /** Where the page is served (defaults to the page's own origin). */
  origin?: string;
}

/** The probe URL for `target` (PROBE_PATH on `origin`). */
export function probeUrl(target: string, origin: string, timeoutSeconds?: number): URL {
  const url = new URL(PROBE_PATH, origin);
  url.searchParams.set("target", target);
  if (timeoutSeconds !== undefined) url.searchParams.set("timeout", String(timeoutSeconds));
  return url;
}

/**
 * Runs one test: resolves `true` once the `done` frame came, `false` when the stream ended
 * without it (the connection dropped). Before the stream, rejects with ProbeTargetError (400),
 * UnauthorizedError (401: the page's usual sign-in handling), ProbeForbiddenError (403),
 * ProbeBusyError (429), else TransportError; an abort rejects with the signal's reason
 * (an AbortError DOMException).
 */
export async function probeDelivery(request: ProbeRequest): Promise<boolean> {
  const doFetch = request.fetch ?? globalThis.fetch.bind(globalThis);
  const origin = request.origin ?? globalThis.location.origin;
  const response = await fetchOrFail(
    doFetch,
    probeUrl(request.target, origin, request.timeoutSeconds),
    { headers: { Accept: "application/x-ndjson", Authorization: request.authorization } },
    request.signal,
  );
  if (!response.ok)
    throw await refusalOf(
      response,
      (detail) =>
        new ProbeForbiddenError(
          detail ?? "Testing a destination needs the liveDeliveryTest permission.",
        ),
    );
  if (!response.body) throw new TransportError("The server sent no test results.", response.status);
  let isDone = false;
  await readLines(response.body, MAX_FRAME_BYTES, (line) => {
    if (line.trim() === "") return;
    const frame = parseFrame(line);
    if (typeof frame === "string") {
      request.onInvalidFrame?.(frame);
      return;
    }
    if (frame.type === "done") isDone = true;
    request.onFrame(frame);
  });
  return isDone;
}

/** One line as a frame, or why it is not one (a message to show, never a throw). */
export function parseFrame(line: string): DeliveryFrame | string {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return `A line of the server's answer was not JSON: ${line.slice(0, 80)}`;
  }
  const parsed = frameSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const type =
    typeof json === "object" && json !== null && "type" in json ? String(json.type) : "unknown";
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
  return `A result of type “${type.slice(0, 40)}” was not understood${where}: ${issue?.message ?? "invalid"}.`;
}

/**
 * Calls `onLine` with each `\n`-terminated line of `body` (UTF-8; a last line without `\n`
 * too). A line over `maxLineBytes` is not kept: `onLine` gets a marker text the frame parser
 * refuses, and the rest of it up to the next `\n` is dropped, so memory stays bounded.
 * Resolves at the end of the body; rejects when reading fails (an abort).
 */
export async function readLines(
  body: ReadableStream<Uint8Array>,
  maxLineBytes: number,
  onLine: (line: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let isSkipping = false;
  const flush = () => {
    const joined = new Uint8Array(pendingBytes);
    let offset = 0;
    for (const part of pending) {
      joined.set(part, offset);
      offset += part.length;
    }
    pending = [];
    pendingBytes = 0;
    return decoder.decode(joined);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let start = 0;
      for (let newline = value.indexOf(10); newline !== -1; newline = value.indexOf(10, start)) {
        const part = value.subarray(start, newline);
        start = newline + 1;
        if (isSkipping || pendingBytes + part.length > maxLineBytes) {
          pending = [];
          pendingBytes = 0;
          isSkipping = false;
          onLine(`<a line over ${maxLineBytes} bytes>`);
          continue;
        }
        pending.push(part);
        pendingBytes += part.length;
        onLine(flush());
      }
      const rest = value.subarray(start);
      if (isSkipping) continue;
      if (pendingBytes + rest.length > maxLineBytes) {
        pending = [];
        pendingBytes = 0;
        isSkipping = true;
      } else if (rest.length > 0) {
        // Copied: the reader may reuse its chunk.
        pending.push(rest.slice());
        pendingBytes += rest.length;
      }
    }
    if (isSkipping) onLine(`<a line over ${maxLineBytes} bytes>`);
    else if (pendingBytes > 0) onLine(flush());
  } finally {
    reader.releaseLock();
  }
}

/**
 * A GET of one of the page's test endpoints, without cookies or cache. Rejects with the
 * signal's reason when aborted, else with a TransportError when the server cannot be reached.
 */
export async function fetchOrFail(
  doFetch: typeof fetch,
  url: URL,
  init: RequestInit,
  signal?: AbortSignal,
): Promise<Response> {
  try {
    return await doFetch(url, { ...init, credentials: "omit", cache: "no-store", signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new TransportError(
      "Could not reach the server. Check your connection and try again.",
      undefined,
      {
        cause: error,
      },
    );
  }
}

/** At most this much of a refusal's body is read (the rest is cancelled unread), bytes. */
const MAX_REFUSAL_BYTES = 16_384;

/**
 * The typed error for a refused test request (problem+json from this server or Stalwart, the
 * detail read from at most MAX_REFUSAL_BYTES): UnauthorizedError (401), ProbeTargetError (400),
 * `forbidden(detail)` (403), ProbeBusyError with Retry-After (429, 10 s when absent), else
 * TransportError naming the status.
 */
export async function refusalOf(
  response: Response,
  forbidden: (detail: string | undefined) => Error,
): Promise<Error> {
  if (response.status === 401) return new UnauthorizedError();
  let detail: string | undefined;
  if (response.body) {
    const lines: string[] = [];
    let kept = 0;
    const enough = new Error("enough");
    await readLines(response.body, MAX_REFUSAL_BYTES, (line) => {
      kept += line.length;
      if (kept > MAX_REFUSAL_BYTES) throw enough;
      lines.push(line);
    }).catch(() => response.body?.cancel().catch(() => undefined));
    try {
      const problem = problemSchema.safeParse(JSON.parse(lines.join("\n")));
      if (problem.success) detail = problem.data.detail ?? problem.data.title;
    } catch {
      // Not problem+json (a proxy's page, say): the status alone is said.
    }
  }
  switch (response.status) {
    case 400:
      return new ProbeTargetError(detail ?? "The server refused this target.");
    case 403:
      return forbidden(detail);
    case 429: {
      const seconds = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
      return new ProbeBusyError(
        detail ?? "The server is running as many tests as it allows.",
        Number.isSafeInteger(seconds) && seconds > 0 ? seconds : 10,
      );
    }
    default:
      return new TransportError(
        `The server answered ${response.status}${detail ? `: ${detail}` : "."}`,
        response.status,
      );
  }
}
