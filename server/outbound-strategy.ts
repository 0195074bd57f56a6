import { FORBIDDEN, MethodFailure } from "./jmap/errors";
import type { MethodHandler } from "./jmap/methods";

// Shared wire reference §10: the MtaOutboundStrategy singleton, whose `tls` expression picks
// a TLS strategy by name for each delivery. The embedded server holds Stalwart's defaults.

export const SINGLETON_ID = "singleton";
const PERMISSION = "sysMtaOutboundStrategyGet";

/** An expression: `match` is an object keyed by position, not an array. */
export interface Expression {
  match: Record<string, { if: string; then: string }>;
  else: string;
}

/** The singleton's properties, each an expression. */
export type OutboundStrategy = Record<"connection" | "route" | "schedule" | "tls", Expression>;

/** What a fresh Stalwart holds (shared wire reference §10). */
export const DEFAULT_OUTBOUND_STRATEGY: OutboundStrategy = {
  connection: { match: {}, else: "'default'" },
  route: {
    match: { "0": { if: "is_local_domain('*', rcpt_domain)", then: "'local'" } },
    else: "'mx'",
  },
  schedule: {
    match: {
      "0": { if: "is_local_domain('*', rcpt_domain)", then: "'local'" },
      "1": { if: "source == 'dsn'", then: "'dsn'" },
      "2": { if: "source == 'report'", then: "'report'" },
    },
    else: "'remote'",
  },
  tls: {
    match: { "0": { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" } },
    else: "'default'",
  },
};

const get: MethodHandler = (args, context) => {
  if (!context.permissions.has(PERMISSION)) throw new MethodFailure("forbidden", FORBIDDEN);
  let ids: unknown[] = [SINGLETON_ID];
  if (args.ids !== undefined && args.ids !== null) {
    if (!Array.isArray(args.ids))
      throw new MethodFailure("invalidArguments", "ids must be an array of ids.");
    ids = args.ids;
  }
  const list = ids.includes(SINGLETON_ID)
    ? [{ id: SINGLETON_ID, ...structuredClone(context.store.outbound) }]
    : [];
  const notFound = ids.filter((id) => id !== SINGLETON_ID);
  return { accountId: context.accountId, list, notFound };
};

export const outboundStrategyMethods: Record<string, MethodHandler> = {
  "x:MtaOutboundStrategy/get": get,
};
