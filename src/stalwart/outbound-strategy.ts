import { queryOptions } from "@tanstack/react-query";
import * as z from "zod/mini";
import type { JmapClient } from "../jmap/client";
import { MethodError } from "../jmap/errors";

// x:MtaOutboundStrategy, the singleton whose `tls` expression picks a TLS strategy by name
// for each delivery (shared wire reference §10): as the page reads it.

const expressionSchema = z.looseObject({
  match: z.catch(z.record(z.string(), z.looseObject({ then: z.catch(z.string(), "") })), {}),
  else: z.catch(z.string(), ""),
});
const outboundSchema = z.looseObject({
  list: z.array(z.looseObject({ id: z.string(), tls: z.optional(expressionSchema) })),
});

export type TlsUsage =
  | { isKnown: true; names: ReadonlySet<string> }
  | { isKnown: false; reason: string };

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
 * The names an expression's values give delivery, or null when some value is not one string
 * literal: which strategy it picks can then not be read from the text (the rules view of the
 * outbound strategy evaluates it).
 */
export function quotedNames(values: string[]): Set<string> | null {
  const names = new Set<string>();
  for (const value of values) {
    const name = literalName(value);
    if (name === null) return null;
    names.add(name);
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
          // Delivery picks the strategy a value names; conditions (`if`) are not names.
          const names = quotedNames([...Object.values(tls.match).map((m) => m.then), tls.else]);
          if (!names)
            return {
              isKnown: false,
              reason:
                "a rule of the outbound strategy builds the strategy's name instead of naming it",
            };
          return { isKnown: true, names };
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
