import type { ProblemDetails } from "../../src/jmap/protocol";

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

// Shared wire reference §2: the exact 401 a real Stalwart sends.
export const unauthorized = () =>
  new ProblemError(
    {
      type: "about:blank",
      status: 401,
      title: "Unauthorized",
      detail: "You have to authenticate first.",
    },
    [
      ["WWW-Authenticate", `Bearer ${REALM}`],
      ["WWW-Authenticate", `Basic ${REALM}`],
    ],
  );

export const notJson = (detail: string) =>
  new ProblemError({
    type: "urn:ietf:params:jmap:error:notJSON",
    status: 400,
    title: "Not JSON",
    detail,
  });

export const notRequest = (detail: string) =>
  new ProblemError({
    type: "urn:ietf:params:jmap:error:notRequest",
    status: 400,
    title: "Not a request",
    detail,
  });

export const limit = (which: "maxCallsInRequest" | "maxSizeRequest", detail: string) =>
  new ProblemError({
    type: "urn:ietf:params:jmap:error:limit",
    status: 400,
    title: "Limit exceeded",
    limit: which,
    detail,
  });

export const notFound = () =>
  new ProblemError({
    type: "about:blank",
    status: 404,
    title: "Not Found",
    detail: "The requested resource does not exist.",
  });

export const FORBIDDEN = "You are not authorized to perform this action";
