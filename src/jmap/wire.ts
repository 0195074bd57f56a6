import * as z from "zod/mini";
import { MethodError, TransportError } from "./errors";
import type { Invocation } from "./protocol";

// The JMAP wire as this client reads it (RFC 8620 §2 the session, §3.3–3.4 requests and
// responses, §3.6.1 problem details), and what a tab remembers of it between loads.

// RFC 8620 §2, only what this client uses; other members pass through untouched.
export const sessionSchema = z.looseObject({
  capabilities: z.record(z.string(), z.unknown()),
  primaryAccounts: z.record(z.string(), z.string()),
  username: z.string(),
  apiUrl: z.string().check(z.minLength(1)),
  state: z.catch(z.string(), ""),
});

const limitSchema = (fallback: number) => z.catch(z.int().check(z.positive()), fallback);

export const coreCapabilitySchema = z.looseObject({
  maxCallsInRequest: limitSchema(16),
  maxObjectsInGet: limitSchema(500),
  maxObjectsInSet: limitSchema(500),
});

export const accountSchema = z.looseObject({
  permissions: z.array(z.string()),
  edition: z.catch(z.string(), ""),
  locale: z.catch(z.string(), "en"),
});

export const problemSchema = z.looseObject({
  type: z.string(),
  status: z.number(),
  title: z.optional(z.string()),
  detail: z.optional(z.string()),
  limit: z.optional(z.string()),
});

// RFC 8620 §3.4
export const responseSchema = z.object({
  methodResponses: z.array(z.tuple([z.string(), z.record(z.string(), z.unknown()), z.string()])),
  sessionState: z.string(),
});

export interface Session {
  username: string;
  /** Every JMAP request goes here (shared wire reference §1), never to a fixed path. */
  apiUrl: string;
  accountId: string;
  maxCallsInRequest: number;
  maxObjectsInGet: number;
  maxObjectsInSet: number;
  /** The session's `state` (RFC 8620 §2); every response's `sessionState` is compared to it. */
  state: string;
}

const storedSessionSchema = z.object({
  username: z.string(),
  apiUrl: z.string().check(z.minLength(1)),
  accountId: z.string().check(z.minLength(1)),
  maxCallsInRequest: z.int().check(z.positive()),
  maxObjectsInGet: z.int().check(z.positive()),
  maxObjectsInSet: z.int().check(z.positive()),
  state: z.string(),
});

/**
 * What a tab remembers of discovery between loads: `url`, where `/.well-known/jmap`'s
 * redirect led, and `session`, the last session read with these credentials.
 */
export interface SessionMemory {
  url?: string;
  session?: Session;
}

/** A remembered session, or undefined when there is none or it does not read as one. */
export function readSessionMemory(value: unknown): SessionMemory {
  const parsed = z
    .object({ url: z.optional(z.string()), session: z.optional(z.unknown()) })
    .safeParse(value);
  if (!parsed.success) return {};
  const session = storedSessionSchema.safeParse(parsed.data.session);
  return { url: parsed.data.url, session: session.success ? session.data : undefined };
}

export interface MethodCall {
  name: string;
  args: Record<string, unknown>;
  /** Defaults to c0, c1, … in order. */
  id?: string;
}

/** A `#name` argument pointing at an earlier call's result (RFC 8620 §3.7). */
export function resultOf(call: MethodCall & { id: string }, path: string) {
  return { resultOf: call.id, name: call.name, path };
}

/** The answers to one request, looked up by call id. */
export class MethodResponses {
  constructor(private readonly invocations: Invocation[]) {}

  /** The call's arguments parsed with `schema`; throws MethodError if the call failed. */
  get<T>(callId: string, schema: z.ZodMiniType<T>): T {
    const invocation = this.invocations.find(([, , id]) => id === callId);
    if (!invocation) throw new TransportError(`The server sent no answer for call ${callId}.`);
    const [name, args] = invocation;
    if (name === "error") {
      const error = z
        .looseObject({ type: z.string(), description: z.optional(z.string()) })
        .safeParse(args);
      throw new MethodError(
        error.success ? error.data.type : "serverFail",
        error.success ? error.data.description : undefined,
        callId,
      );
    }
    const parsed = schema.safeParse(args);
    if (!parsed.success) {
      throw new TransportError(`The server's answer to ${name} was not understood.`, undefined, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}
