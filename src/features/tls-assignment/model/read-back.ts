// Comparing rules: what a save reads back against what it sent (Stalwart may answer "updated"
// without storing: a never-written singleton, an identical patch; shared wire reference §10),
// and what is stored now against what the view was opened with (two admins at once). Plus the
// rules in words, for the clash dialog and the read-back notice.

import { ruleInWords } from "../../../stalwart/expression/rule-words";
import { recogniseElse } from "../../../stalwart/expression/rules-table";
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

/** Every rule in words, numbered, then Otherwise. */
export function rulesInWords(tls: TlsRules): string[] {
  const otherwise = recogniseElse(tls.else);
  return [
    ...tls.rules.map((rule, index) => `${index + 1}. ${ruleInWords(rule)}`),
    `Otherwise: ${otherwise === null ? tls.else : `uses ${otherwise}`}`,
  ];
}
