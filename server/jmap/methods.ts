import type { Invocation, JmapResponse } from "../../src/jmap/protocol";
import { CORE_CAPABILITY, STALWART_CAPABILITY } from "../../src/jmap/protocol";
import type { ReloadFailures } from "../actions";
import type { User } from "../auth";
import type { Store } from "../store";
import { limit, MethodFailure, notRequest } from "./errors";
import { resolveReferences } from "./references";

export const MAX_CALLS_IN_REQUEST = 16;
export const MAX_SIZE_REQUEST = 10_000_000;
export const KNOWN_CAPABILITIES = new Set([CORE_CAPABILITY, STALWART_CAPABILITY]);

export interface MethodContext {
  store: Store;
  accountId: string;
  permissions: ReadonlySet<string>;
  /** Test hooks only: failures to inject into settings reloads. */
  reloadFailures?: ReloadFailures;
}

export type MethodHandler = (
  args: Record<string, unknown>,
  context: MethodContext,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** RFC 8620 §3.3: checks the request's shape, or throws the request-level error. */
function parseRequest(body: unknown): { using: string[]; methodCalls: Invocation[] } {
  if (!isObject(body)) throw notRequest("The request must be a JSON object.");
  const { using, methodCalls } = body;
  if (!Array.isArray(using) || !using.every((u) => typeof u === "string")) {
    throw notRequest("The request has no valid “using” property.");
  }
  const unknown = using.find((capability) => !KNOWN_CAPABILITIES.has(capability));
  if (unknown) throw notRequest(`Unknown capability: ${unknown}`);
  if (!Array.isArray(methodCalls))
    throw notRequest("The request has no valid “methodCalls” property.");
  for (const call of methodCalls) {
    if (
      !Array.isArray(call) ||
      call.length !== 3 ||
      typeof call[0] !== "string" ||
      !isObject(call[1]) ||
      typeof call[2] !== "string"
    ) {
      throw notRequest("Each method call must be [name, arguments, callId].");
    }
  }
  if (methodCalls.length > MAX_CALLS_IN_REQUEST) {
    throw limit("maxCallsInRequest", `At most ${MAX_CALLS_IN_REQUEST} method calls per request.`);
  }
  return { using, methodCalls: methodCalls as Invocation[] };
}

/**
 * Runs a JMAP request (RFC 8620 §3.3–3.7) for one signed-in user: one call after the other,
 * each able to refer to the results of the earlier ones. Method failures become
 * `["error", …]` answers; the request as a whole still succeeds.
 */
export async function runRequest(
  body: unknown,
  user: User,
  store: Store,
  methods: Record<string, MethodHandler>,
  accountIds: ReadonlySet<string>,
  reloadFailures?: ReloadFailures,
): Promise<JmapResponse> {
  const { methodCalls } = parseRequest(body);
  const methodResponses: Invocation[] = [];
  const context: MethodContext = {
    store,
    accountId: user.accountId,
    permissions: user.permissions,
    reloadFailures,
  };
  for (const [name, rawArgs, callId] of methodCalls) {
    try {
      const handler = Object.hasOwn(methods, name) ? methods[name] : undefined;
      if (!handler) throw new MethodFailure("unknownMethod", `Unknown method ${name}`);
      const args = resolveReferences(rawArgs, methodResponses);
      // shared wire reference §1: accountId is optional; another user's account is forbidden.
      if (
        typeof args.accountId === "string" &&
        args.accountId !== user.accountId &&
        accountIds.has(args.accountId)
      ) {
        throw new MethodFailure("forbidden", "You are not authorized to perform this action");
      }
      methodResponses.push([name, await handler(args, context), callId]);
    } catch (error) {
      if (!(error instanceof MethodFailure)) throw error;
      const args: Record<string, unknown> = { type: error.type };
      if (error.description) args.description = error.description;
      methodResponses.push(["error", args, callId]);
    }
  }
  return { methodResponses, sessionState: user.sessionState };
}
