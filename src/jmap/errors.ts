import type { ProblemDetails, SetError } from "./protocol";

// The four ways a JMAP call fails, kept apart because each needs a different answer in the
// UI: retry (transport), sign in again (unauthorized), report (request), or show next to
// the call or the field (method, SetError).

/** The server could not be reached, or answered with something that is not JMAP. */
export class TransportError extends Error {
  override name = "TransportError";
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 401: missing, wrong, expired or revoked credentials (shared wire reference §2). */
export class UnauthorizedError extends Error {
  override name = "UnauthorizedError";
  /**
   * The refused request went out with credentials that have been replaced since (a sign-in
   * again while it was on its way): the refusal says nothing about the current ones.
   */
  readonly isStale: boolean;
  constructor(message = "The server did not accept these credentials.", isStale = false) {
    super(message);
    this.isStale = isStale;
  }
}

/**
 * 429: too many failed sign-ins from this address (shared wire reference §2). The client
 * waits, as the server says; it never retries on its own.
 */
export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(readonly retryAfterSeconds: number) {
    super(
      `Too many failed sign-ins from this address. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`,
    );
  }
}

/**
 * The server's session names an API address on another origin than this page's: the page
 * does not send credentials there (shared wire reference §1).
 */
export class ForeignSessionError extends Error {
  override name = "ForeignSessionError";
  constructor(
    readonly apiUrl: string,
    readonly pageOrigin: string,
  ) {
    super(
      `The server's session sends API requests to ${apiUrl}, which is not this page's own address (${pageOrigin}). The page only sends your credentials to its own address: if Stalwart runs behind a proxy or another name, set PUBLIC_URL (or ALLOWED_HOSTS) to the address you open the page at.`,
    );
  }
}

/** RFC 8620 §3.6.1: the whole request was refused (problem+json). */
export class RequestError extends Error {
  override name = "RequestError";
  readonly type: string;
  readonly status: number;
  readonly limit: string | undefined;
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title ?? problem.type);
    this.type = problem.type;
    this.status = problem.status;
    this.limit = problem.limit;
  }
}

/** RFC 8620 §3.6.2: one method call failed, e.g. `forbidden` or `unknownMethod`. */
export class MethodError extends Error {
  override name = "MethodError";
  constructor(
    readonly type: string,
    readonly description: string | undefined,
    readonly method: string,
  ) {
    super(description ?? type);
  }
}

/** RFC 8620 §5.3: the server refused to create, update or destroy one object. */
export class SetObjectError extends Error {
  override name = "SetObjectError";
  readonly type: string;
  constructor(
    readonly setError: SetError,
    readonly operation: "create" | "update" | "destroy",
    readonly id: string,
  ) {
    super(setError.description ?? setError.type);
    this.type = setError.type;
  }
}
