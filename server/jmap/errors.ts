import type { ProblemDetails } from "../../src/jmap/protocol";

// The failures of a JMAP server with Stalwart's exact texts (shared wire reference §2, §12):
// request-level problems (problem+json, RFC 8620 §3.6.1) and method-level errors (§3.6.2).

/** A request-level failure (RFC 8620 §3.6.1), answered as problem+json. */
export class ProblemError extends Error {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: [string, string][] = [],
  ) {
    super(problem.detail ?? problem.title ?? problem.type);
  }
}

/** A method-level failure (RFC 8620 §3.6.2): `["error", {type, description}, callId]`. */
export class MethodFailure extends Error {
  constructor(
    readonly type: string,
    readonly description?: string,
  ) {
    super(description ?? type);
  }
}

const REALM = 'realm="Stalwart Server"';

/** Reference §2: the exact 401, with its two challenges as two header lines. */
export const unauthorized = () =>
  new ProblemError(
    {
      type: "about:blank",
      status: 401,
      title: "Unauthorized",
      detail: "You have to authenticate first.",
    },
    [
      [
        "WWW-Authenticate",
        `Bearer ${REALM}, resource_metadata="/.well-known/oauth-protected-resource"`,
      ],
      ["WWW-Authenticate", `Basic ${REALM}`],
    ],
  );

/** Reference §2, §12: a Content-Type that is not JSON. No title, as Stalwart sends it. */
export const notJson = () =>
  new ProblemError({
    type: "urn:ietf:params:jmap:error:notJSON",
    status: 400,
    detail: "Failed to parse JSON: The Content-Type header must be application/json.",
  });

/** Reference §2: not a request (bad JSON or UTF-8, a bad shape); the detail is the body. */
export const notRequest = (body: string) =>
  new ProblemError({
    type: "urn:ietf:params:jmap:error:notRequest",
    status: 400,
    detail: body,
  });

const LIMIT_DETAILS = {
  maxCallsInRequest: "The request exceeds the maximum number of calls in a single request.",
  maxSizeRequest: "The request is larger than the server is willing to process.",
} as const;

/** Reference §2, §12: a request over a limit. */
export const limit = (which: keyof typeof LIMIT_DETAILS) =>
  new ProblemError({
    type: "urn:ietf:params:jmap:error:limit",
    status: 400,
    detail: LIMIT_DETAILS[which],
    limit: which,
  });

/** Reference §2: unknown paths, and POST /api. */
export const notFound = () =>
  new ProblemError({
    type: "about:blank",
    status: 404,
    title: "Not Found",
    detail: "The requested resource does not exist on this server.",
  });

export const FORBIDDEN = "You are not authorized to perform this action";

/** Reference §12 */
export const REQUEST_TOO_LARGE =
  "The number of ids requested by the client exceeds the maximum number the server is willing to process in a single method call.";

/** Reference §12 */
export const ANCHOR_NOT_FOUND =
  "An anchor argument was supplied, but it cannot be found in the results of the query.";

/** Reference §12 */
export const invalidResultReference = (callId: string, method: string) =>
  new MethodFailure("invalidResultReference", `Result reference to ${callId}#${method} not found.`);
