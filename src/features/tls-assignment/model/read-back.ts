// Comparing rules: what a save reads back against what it sent (Stalwart may answer "updated"
// without storing: a never-written singleton, an identical patch; shared wire reference §10),
// and what is stored now against what the view was opened with (two admins at once). Plus the
// rules in words, for the clash dialog and the read-back notice.

import { type Row, recognise, recogniseElse } from "../../../stalwart/expression/rules-table";
import type { TlsRules } from "../../../stalwart/outbound-tls-rules";

/** True when both hold the same rules, in the same order, and the same Otherwise, byte for byte. */
export function sameRules(a: TlsRules, b: TlsRules): boolean {
  return (
    a.else === b.else &&
    a.rules.length === b.rules.length &&
    a.rules.every(
      (rule, index) => rule.if === b.rules[index]?.if && rule.then === b.rules[index]?.then,
    )
  );
}

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

/** A rule in words when the table can show it ("Mail to a.example uses no-tls"), else its texts. */
export function ruleInWords(rule: { if: string; then: string }): string {
  const row = recognise(rule.if, rule.then);
  if (!row) return `If ${rule.if} then ${rule.then}`;
  const when = row.when
    ? row.when.kind === "failure"
      ? `, after a failure of kind ${row.when.error} with retry count over ${row.when.retriesAbove},`
      : `, after any failure with retry count over ${row.when.retriesAbove},`
    : "";
  return `${destinationWords(row)}${when} uses ${row.strategy}`;
}

/** Every rule in words, numbered, then Otherwise. */
export function rulesInWords(tls: TlsRules): string[] {
  const otherwise = recogniseElse(tls.else);
  return [
    ...tls.rules.map((rule, index) => `${index + 1}. ${ruleInWords(rule)}`),
    `Otherwise: ${otherwise === null ? tls.else : `uses ${otherwise}`}`,
  ];
}
