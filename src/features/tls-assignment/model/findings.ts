// What each row of the rules view shows before anything is sent: why a table row cannot be
// written yet, a parse error with the server's own message and position (the browser port of
// Stalwart's parser, shared expressions reference §5.2, §6.1), and the checks the server does
// not make (checks.ts: names no strategy has, unreachable rules, domains that never match,
// values that are not names, the MX and last_error caveats; reference §6.3).

import { checkTlsExpression, type FindingCode } from "../../../stalwart/expression/checks";
import { parseExpression } from "../../../stalwart/expression/parser";
import { byteOffsetToIndex } from "../../../stalwart/expression/rust-text";
import { draftProblems, otherwiseText, type RulesDraft, ruleText } from "./drafts";

/** One finding shown on a row. An "error" blocks saving; a "warning" is said and allowed. */
export interface RowFinding {
  severity: "error" | "warning";
  code: FindingCode | "cannot-write";
  message: string;
  /** Which field it is about, for a table row; `fix` is the value that field should take. */
  field?: "names" | "retriesAbove" | "strategy" | "destination" | "if" | "then";
  fix?: string;
  /** Character position (from 0) in the field's text, for a parse error. */
  position?: number;
}

export interface DraftFindings {
  /** One list per rule, in row order. */
  rules: RowFinding[][];
  otherwise: RowFinding[];
  /** True when some row cannot be sent as it is. */
  hasErrors: boolean;
}

// Stands in for a row that cannot be written yet, so the other rows' numbers stay right: it
// never applies, so it shadows nothing; its own findings are dropped.
const NAME_CODES: ReadonlySet<string> = new Set(["unknown-strategy", "no-default-strategy"]);

const PLACEHOLDER = { if: "false", then: "'placeholder'" };

function parseFinding(text: string, wrap: string, field: "if" | "then"): RowFinding | undefined {
  const parsed = parseExpression(text);
  if (parsed.ok) return undefined;
  const position = byteOffsetToIndex(text, parsed.error.position);
  return {
    severity: "error",
    code: "does-not-compile",
    message: `${wrap}: ${parsed.error.message}`,
    field,
    position,
  };
}

/**
 * The findings of every row of `draft`, given the names of the existing strategies. A parse
 * error reads as the server would send it ("Error parsing 'if' expression in condition #2:
 * …") with its position; nothing is sent while any row has an error. With `strategies` null
 * (they could not be read), names are not checked against them.
 */
export function findingsOf(draft: RulesDraft, strategies: readonly string[] | null): DraftFindings {
  const rules: RowFinding[][] = draft.rules.map(() => []);
  const otherwise: RowFinding[] = [];
  const written = draft.rules.map(ruleText);
  draft.rules.forEach((rule, index) => {
    const own = rules[index] as RowFinding[];
    if (rule.kind === "table") {
      for (const problem of draftProblems(rule))
        own.push({ severity: "error", code: "cannot-write", ...problem });
      return;
    }
    const n = index + 1;
    for (const part of ["if", "then"] as const) {
      const finding = parseFinding(
        rule[part],
        `Error parsing '${part}' expression in condition #${n}`,
        part,
      );
      if (finding) own.push(finding);
    }
  });
  const elseText = otherwiseText(draft.otherwise);
  if (elseText === null)
    otherwise.push({
      severity: "error",
      code: "cannot-write",
      message:
        "This name holds a backslash or both quote characters, so it cannot be written as a value.",
    });
  else if (draft.otherwise.kind === "text") {
    const parsed = parseExpression(elseText);
    if (!parsed.ok)
      otherwise.push({
        severity: "error",
        code: "does-not-compile",
        message: `Error parsing 'else' expression: ${parsed.error.message}`,
        position: byteOffsetToIndex(elseText, parsed.error.position),
      });
  }
  const checked = checkTlsExpression({
    rules: written.map((rule) => rule ?? PLACEHOLDER),
    else: elseText ?? "'default'",
    strategies: strategies ?? [],
  });
  for (const finding of checked) {
    // Parse errors are reported above, with their position.
    if (finding.code === "does-not-compile") continue;
    if (strategies === null && NAME_CODES.has(finding.code)) continue;
    const target = finding.ruleIndex === "else" ? otherwise : rules[finding.ruleIndex];
    if (finding.ruleIndex !== "else" && written[finding.ruleIndex] === null) continue;
    if (finding.ruleIndex === "else" && elseText === null) continue;
    target?.push({ severity: finding.severity, code: finding.code, message: finding.message });
  }
  const hasErrors = [...rules, otherwise].some((list) =>
    list.some((finding) => finding.severity === "error"),
  );
  return { rules, otherwise, hasErrors };
}
