import { queryOptions } from "@tanstack/react-query";
import * as z from "zod/mini";
import type { JmapClient } from "../jmap/client";
import { MethodError, TransportError } from "../jmap/errors";
import type { SetError } from "../jmap/protocol";
import type { MethodResponses } from "../jmap/wire";
import { rulesInKeyOrder, type TlsRules } from "./outbound-strategy";
import { type ReloadOutcome, readReloadOutcome, reloadSettingsCall } from "./reload-settings";

// x:MtaOutboundStrategy's whole `tls` expression, read and written by the rules view
// (features/tls-assignment; shared wire reference §10-§11, shared expressions reference §1.1,
// §6.3). Its own module beside outbound-strategy.ts: that one is part of the list's first
// download, and a module of it shares all its code with every chunk importing it, so this
// loads only with the rules view.

export type { TlsRules };

const ruleSchema = z.object({ if: z.string(), then: z.string() });
const tlsSchema = z.looseObject({
  match: z.optional(z.record(z.string(), ruleSchema)),
  else: z.string(),
});
const rulesGetSchema = z.looseObject({
  list: z.array(z.looseObject({ id: z.string(), tls: z.optional(tlsSchema) })),
});

const RULES_GET = "rules-get";

/** The get call of the singleton's `tls` (shared wire reference §10: ids ["singleton"]). */
const rulesGetCall = () => ({
  id: RULES_GET,
  name: "x:MtaOutboundStrategy/get",
  args: { ids: ["singleton"], properties: ["tls"] },
});

/**
 * The `tls` expression in an answer holding rulesGetCall(): rules in numeric key order, the
 * order delivery tries them ("9" before "10", shared expressions reference §1.1).
 * @throws MethodError when the call failed (`forbidden` without sysMtaOutboundStrategyGet),
 * TransportError when the answer has no singleton or does not read as an expression.
 */
function readTlsRules(responses: MethodResponses): TlsRules {
  const tls = responses.get(RULES_GET, rulesGetSchema).list[0]?.tls;
  if (!tls) throw new TransportError("The server did not send the outbound strategy's rules.");
  return { rules: rulesInKeyOrder(tls.match ?? {}), else: tls.else };
}

/** The whole `tls` expression as stored now. Rejects like client.call and readTlsRules. */
export async function fetchTlsRules(client: JmapClient): Promise<TlsRules> {
  return readTlsRules(await client.call([rulesGetCall()]));
}

/**
 * The `tls` expression on the wire for `rules`: `match` keyed "0".."n-1" in the order given,
 * and `else` (shared wire reference §10), as /set takes it and stalwart/expression compiles it.
 */
export function tlsExpression(rules: TlsRules) {
  return {
    match: Object.fromEntries(rules.rules.map((rule, index) => [String(index), rule])),
    else: rules.else,
  };
}

export const tlsRulesQuery = (client: JmapClient) =>
  queryOptions({
    queryKey: ["outbound-strategy", "tls-rules"],
    queryFn: () => fetchTlsRules(client),
    staleTime: 30_000,
  });

/** What a write of the rules did: the server's answer, and the rules it holds afterwards. */
export interface TlsRulesWrite {
  /** `updated` came back for the singleton (which does not prove it stored anything). */
  isUpdated: boolean;
  /** Why not, when `notUpdated` or a method error came back. */
  setError?: SetError;
  /** The rules read back in the same request after the /set, or the error that prevented it. */
  readBack: TlsRules | { unreadable: unknown };
  /** The reload that rode along ("Save and apply"), or the reason its answer was unreadable. */
  reload?: ReloadOutcome | { unreadable: unknown };
}

/**
 * Writes the whole `tls` expression (`match` keyed "0".."n-1" in the order given, and `else`,
 * nothing else inside `tls`: shared expressions reference §6.3 "Writing back"), then, in the
 * same request, a settings reload when `apply` (shared wire reference §11) and a /get of the
 * singleton: Stalwart may answer "updated" without storing (§10, §11), so only the read-back
 * says what is stored. Needs sysMtaOutboundStrategyUpdate (forbidden otherwise).
 * @throws what client.call throws (the request as a whole failed; nothing is known).
 */
export async function writeTlsRules(
  client: JmapClient,
  rules: TlsRules,
  { apply = false }: { apply?: boolean } = {},
): Promise<TlsRulesWrite> {
  const tls = tlsExpression(rules);
  const calls = [
    {
      id: "rules-set",
      name: "x:MtaOutboundStrategy/set",
      args: { update: { singleton: { tls } } },
    },
    ...(apply ? [reloadSettingsCall()] : []),
    rulesGetCall(),
  ];
  const responses = await client.call(calls);
  let isUpdated = false;
  let setError: SetError | undefined;
  try {
    const result = responses.get("rules-set", setAnswerSchema);
    isUpdated = Boolean(result.updated && "singleton" in result.updated);
    if (!isUpdated)
      setError = (result.notUpdated?.singleton as SetError | undefined) ?? { type: "serverFail" };
  } catch (error) {
    if (!(error instanceof MethodError)) throw error;
    setError = { type: error.type, description: error.description };
  }
  const attempt = <T>(read: () => T): T | { unreadable: unknown } => {
    try {
      return read();
    } catch (error) {
      return { unreadable: error };
    }
  };
  return {
    isUpdated,
    setError,
    readBack: attempt(() => readTlsRules(responses)),
    reload: apply ? attempt(() => readReloadOutcome(responses)) : undefined,
  };
}

const setAnswerSchema = z.looseObject({
  updated: z.nullish(z.record(z.string(), z.unknown())),
  notUpdated: z.nullish(z.record(z.string(), z.looseObject({ type: z.string() }))),
});
