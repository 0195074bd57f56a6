import {
  ForeignSessionError,
  MethodError,
  RateLimitedError,
  RequestError,
  SetObjectError,
  TransportError,
  UnauthorizedError,
} from "../jmap/errors";
import { revealHidden } from "./shown-text";

/**
 * Text that came from the server, as a sentence may quote it: invisible and
 * direction-changing characters shown as ⟨U+202E⟩, so a description that holds them cannot
 * turn the sentence around it (README, "No impersonation").
 */
const fromServer = (text: string) => revealHidden(text, "text");

/** One sentence an admin can act on, for any error the JMAP client raises. */
export function describeError(error: unknown, context: { permission?: string } = {}): string {
  if (error instanceof UnauthorizedError) return "Your sign-in is no longer valid. Sign in again.";
  if (error instanceof TransportError) return error.message;
  if (error instanceof RateLimitedError || error instanceof ForeignSessionError)
    return error.message;
  if (error instanceof RequestError) {
    if (error.limit)
      return `The request was too large for the server (limit: ${fromServer(error.limit)}).`;
    return `The server refused the request: ${fromServer(error.message)}`;
  }
  if (error instanceof MethodError) {
    if (error.type === "forbidden") {
      return context.permission
        ? `You are not allowed to do this: your account lacks the “${context.permission}” permission.`
        : `You are not allowed to do this: ${fromServer(error.description ?? "permission denied")}.`;
    }
    return `The server could not do this (${fromServer(error.type)})${error.description ? `: ${fromServer(error.description)}` : "."}`;
  }
  if (error instanceof SetObjectError) {
    if (error.type === "notFound")
      return "This strategy no longer exists: someone may have deleted it.";
    return `The server refused this change (${fromServer(error.type)})${
      error.setError.description ? `: ${fromServer(error.setError.description)}` : "."
    }`;
  }
  return error instanceof Error ? fromServer(error.message) : "Something went wrong.";
}
