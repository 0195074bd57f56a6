import { queryOptions } from "@tanstack/react-query";
import * as z from "zod/mini";
import type { JmapClient } from "../jmap/client";
import { MethodError } from "../jmap/errors";

// x:MtaOutboundStrategy, the singleton whose `tls` expression picks a TLS strategy by name
// for each delivery (shared wire reference §10): as the page reads it.

const expressionSchema = z.looseObject({
  match: z.catch(
    z.record(
      z.string(),
      z.looseObject({ if: z.catch(z.string(), ""), then: z.catch(z.string(), "") }),
    ),
    {},
  ),
  else: z.catch(z.string(), ""),
});
const outboundSchema = z.looseObject({
  list: z.array(z.looseObject({ id: z.string(), tls: z.optional(expressionSchema) })),
});

/** The `tls` expression in evaluation order: its rules sorted by numeric key, then `else`. */
export interface TlsRules {
  rules: { if: string; then: string }[];
  else: string;
}

/** Which of the `tls` rules name a strategy: rule numbers (1 = tried first) and Otherwise. */
export interface UsedBy {
  rules: number[];
  otherwise: boolean;
}

export type TlsUsage =
  | {
      isKnown: true;
      /** Each name a rule gives delivery, and which rules give it. */
      names: ReadonlyMap<string, UsedBy>;
      /** The rules in the order delivery tries them (numeric key order), for their words. */
      tls: TlsRules;
    }
  | { isKnown: false; reason: string };

/** "rule 2", "rules 1 and 3", "Otherwise", "rules 1, 2, and Otherwise": for "Used by …". */
let listFormat: Intl.ListFormat | undefined;
export function usedByWords({ rules, otherwise }: UsedBy): string {
  // One formatter for the page: building one costs more than the list's rows render.
  listFormat ??= new Intl.ListFormat("en");
  const listed = listFormat.format([...rules.map(String), ...(otherwise ? ["Otherwise"] : [])]);
  return rules.length ? `rule${rules.length > 1 ? "s" : ""} ${listed}` : listed;
}

/**
 * The rules of an expression's `match` in the order delivery tries them: by numeric key ("9"
 * before "10"; shared expressions reference §1.1), as `{ if, then }`.
 */
export function rulesInKeyOrder(
  match: Record<string, { if: string; then: string }>,
): { if: string; then: string }[] {
  return Object.entries(match)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, rule]) => ({ if: rule.if, then: rule.then }));
}

const ESCAPED: Record<string, string> = { n: "\n", r: "\r", t: "\t" };

/**
 * The strategy name a rule's value gives delivery, when the value is one string literal in
 * either quote ("'default'", "\"o'brien\""), or null for anything else (a concatenation, a
 * number, a bare constant: shared expressions reference §0.1, §2.6). Escapes as Stalwart reads
 * them: the backslash is kept and the next character taken as is, n/r/t as LF/CR/TAB (§1.3).
 */
export function literalName(value: string): string | null {
  const match = /^[ \r\n]*(?:'((?:[^'\\]|\\[\s\S])*)'|"((?:[^"\\]|\\[\s\S])*)")[ \r\n]*$/.exec(
    value,
  );
  if (!match) return null;
  return (match[1] ?? match[2] ?? "").replace(
    /\\([\s\S])/g,
    (_, next: string) => `\\${ESCAPED[next] ?? next}`,
  );
}

/**
 * The names the rules give delivery, each with the rules giving it (numbered from 1 in
 * `tls.rules`' order), or null when some value is not one string literal: which strategy it
 * picks can then not be read from the text (the rules view evaluates it).
 */
export function quotedNames(tls: TlsRules): Map<string, UsedBy> | null {
  const names = new Map<string, UsedBy>();
  const values = [...tls.rules.map((rule) => rule.then), tls.else];
  for (const [index, value] of values.entries()) {
    const name = literalName(value);
    if (name === null) return null;
    const usedBy = names.get(name) ?? { rules: [], otherwise: false };
    if (index < tls.rules.length) usedBy.rules.push(index + 1);
    else usedBy.otherwise = true;
    names.set(name, usedBy);
  }
  return names;
}

export const outboundQueries = {
  tlsUsage: (client: JmapClient) =>
    queryOptions({
      queryKey: ["outbound-strategy", "tls-usage"],
      queryFn: async (): Promise<TlsUsage> => {
        const responses = await client.call([
          {
            id: "o",
            name: "x:MtaOutboundStrategy/get",
            args: { ids: ["singleton"], properties: ["tls"] },
          },
        ]);
        try {
          const tls = responses.get("o", outboundSchema).list[0]?.tls;
          if (!tls)
            return { isKnown: false, reason: "The server did not send the outbound strategy." };
          // Delivery picks the strategy a value names; conditions (`if`) are not names. The rules
          // in the order it tries them: numeric key order (shared expressions reference §1.1).
          const rules = rulesInKeyOrder(tls.match);
          const names = quotedNames({ rules, else: tls.else });
          if (!names)
            return {
              isKnown: false,
              reason:
                "a rule of the outbound strategy builds the strategy's name instead of naming it",
            };
          return { isKnown: true, names, tls: { rules, else: tls.else } };
        } catch (error) {
          if (error instanceof MethodError) {
            return {
              isKnown: false,
              reason:
                error.type === "forbidden"
                  ? "your account may not read the outbound strategy (sysMtaOutboundStrategyGet)"
                  : `the server could not read the outbound strategy (${error.type})`,
            };
          }
          throw error;
        }
      },
      staleTime: 60_000,
    }),
};
