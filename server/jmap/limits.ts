import { limit, MethodFailure, REQUEST_TOO_LARGE } from "./errors";

// Every limit the embedded JMAP server announces in its session (RFC 8620 §2, shared wire
// reference §1) and holds requests to (reference §2, §12), with the checks that enforce them:
// one home, so what the session says and what a request meets cannot drift apart.

/** The largest request body taken, in bytes (maxSizeRequest). */
export const MAX_SIZE_REQUEST = 10_000_000;
/** Method calls in one request (maxCallsInRequest). */
export const MAX_CALLS_IN_REQUEST = 16;
/**
 * What a response may weigh, all calls together: a call whose answer would go over it gets a
 * method error instead, so the others, and any write they made, are still answered.
 */
export const MAX_SIZE_RESPONSE = 50_000_000;
/** Ids one /get may ask for, for every object (maxObjectsInGet). */
export const MAX_OBJECTS_IN_GET = 500;
/** Creates, updates and destroys one /set may ask for together, for every object (maxObjectsInSet). */
export const MAX_OBJECTS_IN_SET = 500;
/** The most ids one /query answers; `limit: 0` asks for all of them (reference §6). */
export const MAX_QUERY_LIMIT = 5000;

/** What the session announces besides the limits above; announced, as Stalwart does, not enforced. */
export const MAX_SIZE_UPLOAD = 50_000_000;
export const MAX_CONCURRENT_UPLOAD = 4;
export const MAX_CONCURRENT_REQUESTS = 4;

/** Whether a Content-Length header announces a body over maxSizeRequest (absent: no). */
export function isDeclaredTooLarge(contentLength: string | null | undefined): boolean {
  return Number(contentLength ?? "0") > MAX_SIZE_REQUEST;
}

/**
 * Reads the body, at most maxSizeRequest bytes: one whose Content-Length is already over it
 * is refused before a byte is read, and one that grows over it as it arrives is refused
 * without being buffered.
 * @throws ProblemError `limit` (maxSizeRequest)
 */
export async function readBody(request: Request): Promise<Uint8Array> {
  if (isDeclaredTooLarge(request.headers.get("content-length"))) throw limit("maxSizeRequest");
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_SIZE_REQUEST) throw limit("maxSizeRequest");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Refuses a request with more calls than maxCallsInRequest (a request-level `limit`). */
export function checkCallsInRequest(count: number): void {
  if (count > MAX_CALLS_IN_REQUEST) throw limit("maxCallsInRequest");
}

/** Refuses a /get that names more ids than maxObjectsInGet, for every object (reference §1, §12). */
export function checkObjectsInGet(ids: readonly unknown[]): void {
  if (ids.length > MAX_OBJECTS_IN_GET)
    throw new MethodFailure("requestTooLarge", REQUEST_TOO_LARGE);
}

/** Refuses a /set whose creates, updates and destroys together are more than maxObjectsInSet. */
export function checkObjectsInSet(asked: { create: number; update: number; destroy: number }) {
  if (asked.create + asked.update + asked.destroy > MAX_OBJECTS_IN_SET)
    throw new MethodFailure("requestTooLarge", REQUEST_TOO_LARGE);
}
