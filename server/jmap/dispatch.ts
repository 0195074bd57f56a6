import type { Invocation, JmapResponse } from "../../src/jmap/protocol";
import { CORE_CAPABILITY, STALWART_CAPABILITY } from "../../src/jmap/protocol";
import type { User } from "../auth";
import { canonicalId } from "../ids";
import type { Store } from "../store";
import { MethodFailure, notRequest } from "./errors";
import { isJsonObject, type JsonValue } from "./json";
import { checkCallsInRequest, MAX_SIZE_RESPONSE } from "./limits";
import { resolveReferences } from "./references";

export const KNOWN_CAPABILITIES = new Set([CORE_CAPABILITY, STALWART_CAPABILITY]);

/** Test hooks only: failures to inject into settings reloads (see http/test-hooks.ts). */
export interface ReloadFailures {
  /** The failure for the next reload, taken once; null when the reload should succeed. */
  take(): Record<string, unknown> | null;
}

export interface MethodContext {
  store: Store;
  accountId: string;
  permissions: ReadonlySet<string>;
  /**
   * RFC 8620 §3.3, §5.3: the ids created by this request so far (and those the request
   * brought in its `createdIds`), by creation id. Any later call may use "#k1" for them.
   */
  createdIds: Map<string, string>;
  reloadFailures?: ReloadFailures;
}

export type MethodHandler = (
  args: Record<string, unknown>,
  context: MethodContext,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/**
 * An id from a request, as the server writes it back (shortest form: "aab" is "b", shared wire
 * reference §3): "#k1" becomes the id created as "k1" earlier in this request (RFC 8620 §5.3).
 * Null for what cannot be an id at all (a character outside Stalwart's id alphabet, an unknown
 * creation id), which /set drops silently and /get lists first in notFound (reference §4, §5).
 */
export function resolveId(context: MethodContext, id: unknown): string | null {
  if (typeof id !== "string") return null;
  if (id.startsWith("#")) return context.createdIds.get(id.slice(1)) ?? null;
  return canonicalId(id);
}

interface ParsedRequest {
  methodCalls: Invocation[];
  createdIds: Map<string, string> | null;
}

/** RFC 8620 §3.3: checks the request's shape, or throws the request-level error. */
function parseRequest(body: JsonValue, raw: string): ParsedRequest {
  if (!isJsonObject(body)) throw notRequest(raw);
  const { using, methodCalls, createdIds } = body;
  if (!Array.isArray(using) || !using.every((u) => typeof u === "string")) throw notRequest(raw);
  if (using.some((capability) => !KNOWN_CAPABILITIES.has(capability as string)))
    throw notRequest(raw);
  if (!Array.isArray(methodCalls)) throw notRequest(raw);
  for (const call of methodCalls) {
    if (
      !Array.isArray(call) ||
      call.length !== 3 ||
      typeof call[0] !== "string" ||
      !isJsonObject(call[1]) ||
      typeof call[2] !== "string"
    ) {
      throw notRequest(raw);
    }
  }
  let created: Map<string, string> | null = null;
  if (createdIds !== undefined && createdIds !== null) {
    if (!isJsonObject(createdIds)) throw notRequest(raw);
    created = new Map();
    for (const [creationId, id] of Object.entries(createdIds)) {
      // Each value must be an id (reference §2: a malformed createdIds is notRequest).
      const canonical = typeof id === "string" ? canonicalId(id) : null;
      if (canonical === null) throw notRequest(raw);
      created.set(creationId, canonical);
    }
  }
  checkCallsInRequest(methodCalls.length);
  return { methodCalls: methodCalls as Invocation[], createdIds: created };
}

/**
 * The account a call acts on: an administrator's may be any, others only their own
 * (reference §8); missing or unparseable means "my own account" (reference §1).
 */
function accountOf(args: Record<string, unknown>, user: User): string {
  const accountId = typeof args.accountId === "string" ? canonicalId(args.accountId) : null;
  if (accountId === null) return user.accountId;
  if (accountId === user.accountId || user.isAdministrator) return accountId;
  throw new MethodFailure("forbidden", `You are not an owner of account ${accountId}`);
}

/**
 * About what `value` weighs as JSON, in characters, walked without building the text; the
 * walk stops at once past `limit` (and then answers more than `limit`).
 */
function weight(value: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === "string") size += next.length + 2;
    else if (Array.isArray(next)) {
      size += next.length + 2;
      for (const item of next) stack.push(item);
    } else if (next !== null && typeof next === "object") {
      for (const [key, item] of Object.entries(next)) {
        size += key.length + 4;
        stack.push(item);
      }
    } else size += 8;
    if (size > limit) return size;
  }
  return size;
}

/**
 * Runs a JMAP request (RFC 8620 §3.3–3.7) for one signed-in user: one call after the other,
 * each able to refer to the results and the created ids of the earlier ones. A call that
 * fails, in any way, becomes `["error", …]` and the request goes on: a write acknowledged by
 * an earlier call is never hidden behind a failure of a later one.
 * @throws ProblemError for a request-level problem (notRequest, limit).
 */
export async function runRequest(
  body: JsonValue,
  raw: string,
  user: User,
  store: Store,
  methods: ReadonlyMap<string, MethodHandler>,
  reloadFailures?: ReloadFailures,
): Promise<JmapResponse> {
  const request = parseRequest(body, raw);
  const methodResponses: Invocation[] = [];
  const context: MethodContext = {
    store,
    accountId: user.accountId,
    permissions: user.permissions,
    createdIds: new Map(request.createdIds ?? []),
    reloadFailures,
  };
  let budget = MAX_SIZE_RESPONSE;
  for (const [name, rawArgs, callId] of request.methodCalls) {
    try {
      const handler = methods.get(name);
      if (!handler) throw new MethodFailure("unknownMethod", name);
      const args = resolveReferences(rawArgs, methodResponses);
      const result = await handler(args, { ...context, accountId: accountOf(args, user) });
      const size = weight(result, budget);
      if (size > budget) {
        throw new MethodFailure(
          "requestTooLarge",
          "The response to this call is larger than the server is willing to send.",
        );
      }
      budget -= size;
      methodResponses.push([name, result, callId]);
    } catch (error) {
      let failure: MethodFailure;
      if (error instanceof MethodFailure) failure = error;
      else {
        console.error(`${name} failed:`, error);
        failure = new MethodFailure("serverFail", "The method could not be completed.");
      }
      const args: Record<string, unknown> = { type: failure.type };
      if (failure.description) args.description = failure.description;
      methodResponses.push(["error", args, callId]);
    }
  }
  const response: JmapResponse = { methodResponses, sessionState: user.sessionState };
  // RFC 8620 §3.4: the request's map, extended with every id this request created; as
  // Stalwart sends it, after sessionState, and only when it holds something.
  if (request.createdIds && context.createdIds.size > 0)
    response.createdIds = Object.fromEntries(context.createdIds);
  return response;
}
