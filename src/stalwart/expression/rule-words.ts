import { type Row, recognise } from "./rules-table";

// A `tls` rule in plain words, as the rules view's table reads it (shared expressions
// reference §6.3): for the rules view's notices, and for every place that names a rule to an
// admin (the delete and duplicate warnings, the strategy form's "used by").

function destinationWords(row: Row): string {
  const target = row.target;
  if (!target) return "Any mail";
  switch (target.kind) {
    case "domain":
      return `Mail to ${target.domain}`;
    case "domainList":
      return `Mail to one of ${target.domains.join(", ")}`;
    case "subdomainsOf":
      return `Mail to subdomains of ${target.domain}`;
    case "domainAndSubdomains":
      return `Mail to ${target.domain} and its subdomains`;
    case "mxHost":
      return `Mail through MX host ${target.host}`;
    case "mxUnder":
      return `Mail through MX hosts under ${target.suffix}`;
  }
}

/**
 * A rule in words when the canonical table can show it ("Mail to a.example uses no-tls"),
 * else its texts ("If <condition> then <value>"), never rewritten.
 */
export function ruleInWords(rule: { if: string; then: string }): string {
  const row = recognise(rule.if, rule.then);
  if (!row) return `If ${rule.if} then ${rule.then}`;
  // retry_num > K: the (K + 1)th retry and later; K = 0 is every retry.
  const retries = (k: number) => (k === 0 ? "on a retry" : `from retry ${k + 1} on`);
  const when = row.when
    ? row.when.kind === "failure"
      ? `, ${retries(row.when.retriesAbove)} after a ${row.when.error} failure,`
      : `, ${retries(row.when.retriesAbove)},`
    : "";
  return `${destinationWords(row)}${when} uses ${row.strategy}`;
}

/**
 * Which rules of `tls` give delivery the name `used`, each in words: "Rule 2: Mail to
 * a.example uses relaxed", and "Otherwise" when the last rule does. `usedBy.rules` numbers
 * rules from 1 in `tls.rules`' order (stalwart/outbound-strategy.ts quotedNames).
 */
export function usedByInWords(
  tls: { rules: readonly { if: string; then: string }[]; else: string },
  usedBy: { rules: readonly number[]; otherwise: boolean },
): string[] {
  return [
    ...usedBy.rules.map((n) => {
      const rule = tls.rules[n - 1];
      return rule ? `Rule ${n}: ${ruleInWords(rule)}` : `Rule ${n}`;
    }),
    ...(usedBy.otherwise ? ["Otherwise (mail no numbered rule applies to)"] : []),
  ];
}
