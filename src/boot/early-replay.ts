/**
 * Early requests (docs/decisions/first-paint-and-opening.md): a reload of the list sends its
 * first data requests from a small inline script in index.html, while the page's JavaScript
 * is still on its way, instead of after it has downloaded and run. On a slow link that is
 * most of the load.
 *
 * How: each load of the list records the read requests it sends until its data is in
 * (`beginOpening`, `noteDataRequest`). The next load of the same location (path and query)
 * in this tab sends them again from the inline script (`replayEarlyRequests`), with the
 * Authorization header computed from the credentials this tab holds. The page's client then
 * takes each response for the identical request it was about to send (`adoptingFetch`) — a
 * fresh answer, only asked for earlier. Nothing else is ever replayed: only GETs and JMAP
 * requests whose every method is a /get or a /query (RFC 8620 §5.1, §5.5), never a /set.
 *
 * The record holds no secret (URLs and request bodies); it lives beside the credentials in
 * sessionStorage and goes with them (auth.tsx). This module imports nothing but the
 * Authorization header, as the inline script is built from it (vite.config.ts).
 */
import { authorizationHeader, type Credentials } from "../jmap/authorization";
import { isSignedOutElsewhere } from "./sign-out-mark";

/** sessionStorage keys of this page: the credentials, the JMAP session, the early requests. */
export const CREDENTIALS_KEY = "stalwart-tls-strategies.credentials";
export const SESSION_KEY = "stalwart-tls-strategies.session";
export const EARLY_KEY = "stalwart-tls-strategies.early";

/** A request as the page sent it: absolute URL, method, headers without Authorization, body. */
export interface EarlyRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the last load of `location` (path and query) sent first. */
interface EarlyRecord {
  location: string;
  requests: EarlyRequest[];
}

/** A request the inline script sent: what it sent, with which Authorization, and its response. */
export interface StartedRequest extends EarlyRequest {
  authorization: string;
  response: Promise<Response>;
}

declare global {
  interface Window {
    /** Left by the inline script for `beginOpening` to take. */
    earlyRequests?: StartedRequest[];
  }
}

const currentLocation = () => window.location.pathname + window.location.search;

/**
 * Run by the inline script of index.html, before the page's own JavaScript: when this tab
 * holds credentials and the last load of this very location recorded its first requests,
 * sends them now and leaves them on `window.earlyRequests`. Throws nothing; a failed request
 * fails for the client that adopts it, as its own would.
 */
export function replayEarlyRequests(): void {
  try {
    const record: EarlyRecord | null = JSON.parse(sessionStorage.getItem(EARLY_KEY) ?? "null");
    const credentials: Credentials | null = JSON.parse(
      sessionStorage.getItem(CREDENTIALS_KEY) ?? "null",
    );
    if (!record || !credentials || record.location !== currentLocation()) return;
    // Some tab signed out since these credentials were taken: they are not to be used.
    if (isSignedOutElsewhere()) return;
    const authorization = authorizationHeader(credentials);
    window.earlyRequests = record.requests.map((request) => {
      const response = fetch(request.url, {
        method: request.method,
        headers: { ...request.headers, Authorization: authorization },
        body: request.body,
        credentials: "omit",
      });
      // Not adopted, a failure is nobody's: it must not surface as an unhandled rejection.
      response.catch(() => undefined);
      return { ...request, authorization, response };
    });
  } catch {
    // Storage unreadable or a record of another shape: the page sends its requests itself.
  }
}

/** The inline script's requests not yet adopted, while an opening lasts. */
let started: StartedRequest[] = [];
/** The read requests of the opening in progress, or null when none is. */
let recording: EarlyRequest[] | null = null;

/** `headers` without Authorization, keys in order: what a record keeps and compares. */
function withoutAuthorization(headers: HeadersInit | undefined): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of new Headers(headers))
    if (name !== "authorization") kept[name] = value;
  return kept;
}

/**
 * `fetch` for the JMAP client: a request identical to one the inline script started (URL,
 * method, headers, Authorization and body) takes that response, once; any other request,
 * and every request once the opening has ended, goes out as usual.
 */
export const adoptingFetch: typeof fetch = (input, init = {}) => {
  // Nothing to adopt (every request but a reload's first few): no comparison at all.
  if (started.length === 0) return fetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  const method = init.method ?? "GET";
  const authorization = new Headers(init.headers).get("Authorization");
  const headers = JSON.stringify(withoutAuthorization(init.headers));
  const index = started.findIndex(
    (request) =>
      request.url === url &&
      request.method === method &&
      request.authorization === authorization &&
      (request.body ?? null) === (init.body ?? null) &&
      // Recorded headers were normalized by noteDataRequest.
      JSON.stringify(request.headers) === headers,
  );
  const [adopted] = index < 0 ? [] : started.splice(index, 1);
  return adopted ? adopted.response : fetch(input, init);
};

/**
 * Whether replaying `request` can change nothing: a GET, or a JMAP request whose every method
 * call is a /get or a /query (RFC 8620 §5.1, §5.5).
 */
export function isRead(request: EarlyRequest): boolean {
  if (request.method === "GET") return true;
  try {
    const { methodCalls } = JSON.parse(request.body ?? "");
    return (
      Array.isArray(methodCalls) &&
      methodCalls.length > 0 &&
      methodCalls.every((call) => Array.isArray(call) && /\/(get|query)$/.test(String(call[0])))
    );
  } catch {
    return false;
  }
}

/** The client tells of each data request (not discovery) as it leaves: an opening records it. */
export function noteDataRequest(request: EarlyRequest): void {
  if (recording && isRead(request))
    recording.push({ ...request, headers: withoutAuthorization(request.headers) });
}

/** An opening in progress (beginOpening). */
export interface Opening {
  /** Whether the inline script sent this load's requests: their answers are near. */
  isEarly: boolean;
  /**
   * Ends the opening once the first data is in: what was not adopted is dropped (a later
   * request never takes an old answer), and the record is kept for the next load of this
   * location only when `isComplete` (every read succeeded); otherwise there is none.
   */
  end(isComplete: boolean): void;
}

/**
 * A load of the list begins: the inline script's responses may answer the page's identical
 * requests, and the read requests it sends are recorded until `end`.
 */
export function beginOpening(): Opening {
  started = window.earlyRequests ?? [];
  delete window.earlyRequests;
  recording = [];
  const location = currentLocation();
  return {
    isEarly: started.length > 0,
    end(isComplete) {
      const requests = recording ?? [];
      recording = null;
      started = [];
      try {
        if (isComplete && requests.length > 0)
          sessionStorage.setItem(EARLY_KEY, JSON.stringify({ location, requests }));
        else sessionStorage.removeItem(EARLY_KEY);
      } catch {
        // Storage refused: the next load sends its requests itself.
      }
    },
  };
}
