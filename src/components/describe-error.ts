import {
  ForeignSessionError,
  MethodError,
  RateLimitedError,
  RequestError,
  SetObjectError,
  TransportError,
  UnauthorizedError,
} from "./errors";

/** One sentence an admin can act on, for any error the JMAP client raises. */
export function describeError(error: unknown, context: { permission?: string } = {}): string {
  if (error instanceof UnauthorizedError) return "Your sign-in is no longer valid. Sign in again.";
  if (error instanceof TransportError) return error.message;
  if (error instanceof RateLimitedError || error instanceof ForeignSessionError)
    return error.message;
  if (error instanceof RequestError) {
    if (error.limit) return `The request was too large for the server (limit: ${error.limit}).`;
    return `The server refused the request: ${error.message}`;
  }
  if (error instanceof MethodError) {
    if (error.type === "forbidden") {
      return context.permission
        ? `You are not allowed to do this: your account lacks the “${context.permission}” permission.`
        : `You are not allowed to do this: ${error.description ?? "permission denied"}.`;
    }
    return `The server could not do this (${error.type})${error.description ? `: ${error.description}` : "."}`;
  }
  if (error instanceof SetObjectError) {
    if (error.type === "notFound")
      return "This strategy no longer exists: someone may have deleted it.";
    return `The server refused this change (${error.type})${
      error.setError.description ? `: ${error.setError.description}` : "."
    }`;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}
