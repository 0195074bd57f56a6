// The rules view's working copy of the `tls` expression: one draft per rule, in evaluation
// order, and the Otherwise value (shared expressions reference §6.3). A rule the canonical
// table can show is a table draft of plain choices; any other rule is a text draft, kept
// verbatim. Pure: no React, no I/O.

import { normaliseDomain } from "../../../stalwart/expression/evaluate";
import {
  type Condition,
  coversDomain,
  isCanonicalDomain,
  recognise,
  recogniseElse,
  render,
  renderElse,
  type Target,
} from "../../../stalwart/expression/rules-table";
import type { LastErrorKind } from "../../../stalwart/expression/vocabulary";
import type { TlsRules } from "../../../stalwart/outbound-tls-rules";

/** Which mail a table row is about; "anywhere" is a row with a failure condition only. */
export type Destination = "anywhere" | Target["kind"];

/** When a table row applies: on every attempt, or after failures (retry_num > K). */
export type WhenChoice = "always" | "failure" | "anyFailure";

export interface TableDraft {
  kind: "table";
  id: string;
  destination: Destination;
  /** The domain, host or suffix as typed; for "domainList", names separated by commas. */
  names: string;
  when: WhenChoice;
  error: LastErrorKind;
  /** K of `retry_num > K`, as typed. */
  retriesAbove: string;
  strategy: string;
}

export interface TextDraft {
  kind: "text";
  id: string;
  if: string;
  then: string;
}

export type RuleDraft = TableDraft | TextDraft;

export type OtherwiseDraft = { kind: "table"; strategy: string } | { kind: "text"; text: string };

export interface RulesDraft {
  rules: RuleDraft[];
  otherwise: OtherwiseDraft;
}

/** Why a table draft cannot be written yet; `fix` is the value `field` should take instead. */
export interface DraftProblem {
  field: "names" | "retriesAbove" | "strategy" | "destination";
  message: string;
  fix?: string;
}

let lastId = 0;
/** A fresh row id, for React keys and per-row element ids. */
export const newRowId = () => `rule-${++lastId}`;

function targetOf(destination: Destination, names: readonly string[]): Target | undefined {
  const [name = ""] = names;
  switch (destination) {
    case "anywhere":
      return undefined;
    case "domainList":
      return { kind: "domainList", domains: names };
    case "mxHost":
      return { kind: "mxHost", host: name };
    case "mxUnder":
      return { kind: "mxUnder", suffix: name };
    default:
      return { kind: destination, domain: name };
  }
}

function namesOf(target: Target | undefined): string {
  if (!target) return "";
  if (target.kind === "domainList") return target.domains.join(", ");
  if (target.kind === "mxHost") return target.host;
  if (target.kind === "mxUnder") return target.suffix;
  return target.domain;
}

/** A rule as a draft: a table draft when its texts are canonical (render∘recognise = id). */
export function draftOf(rule: { if: string; then: string }): RuleDraft {
  const row = recognise(rule.if, rule.then);
  if (!row) return { kind: "text", id: newRowId(), ...rule };
  return {
    kind: "table",
    id: newRowId(),
    destination: row.target?.kind ?? "anywhere",
    names: namesOf(row.target),
    when: row.when?.kind ?? "always",
    error: row.when?.kind === "failure" ? row.when.error : "tls",
    retriesAbove: String(row.when?.retriesAbove ?? 0),
    strategy: row.strategy,
  };
}

/** The stored expression as a draft. */
export function draftFromRules(tls: TlsRules): RulesDraft {
  const strategy = recogniseElse(tls.else);
  return {
    rules: tls.rules.map(draftOf),
    otherwise: strategy === null ? { kind: "text", text: tls.else } : { kind: "table", strategy },
  };
}

/** The names typed into a table draft, split at commas and spaces. */
const splitNames = (names: string) => names.split(/[\s,]+/).filter((name) => name !== "");

/** What keeps a table draft from being written; empty when it can be. */
export function draftProblems(draft: TableDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const names = splitNames(draft.names);
  if (draft.destination === "anywhere" && draft.when === "always")
    problems.push({
      field: "destination",
      message: "A rule needs a destination, a failure condition, or both.",
    });
  if (draft.destination !== "anywhere") {
    const isList = draft.destination === "domainList";
    if (names.length === 0 || (isList && names.length < 2) || (!isList && names.length > 1))
      problems.push({
        field: "names",
        message: isList ? "Give at least two domains, separated by commas." : "Give one name.",
      });
    const wrong = names.filter((name) => !isCanonicalDomain(name));
    if (wrong.length > 0) {
      const fixed = names.map((name) => normaliseDomain(name));
      const canFix = fixed.every(isCanonicalDomain);
      const quoted = wrong.map((name) => `'${name}'`).join(", ");
      problems.push({
        field: "names",
        message: canFix
          ? `${quoted} never ${wrong.length > 1 ? "match" : "matches"}: Stalwart compares domain names in lower case, and non-ASCII ones in their xn-- (punycode) form.`
          : `${quoted} is not a domain name: letters, digits and hyphens, between dots.`,
        fix: canFix ? fixed.join(", ") : undefined,
      });
    }
  }
  if (draft.when !== "always" && !/^(0|[1-9][0-9]{0,8})$/.test(draft.retriesAbove))
    problems.push({
      field: "retriesAbove",
      message: "The retry count is a whole number, 0 or more.",
    });
  if (draft.strategy === "") problems.push({ field: "strategy", message: "Pick a strategy." });
  else if (!canWriteName(draft.strategy))
    problems.push({
      field: "strategy",
      message:
        "This name holds a backslash or both quote characters, so it cannot be written as a value.",
    });
  return problems;
}

function canWriteName(name: string): boolean {
  try {
    renderElse(name);
    return true;
  } catch {
    return false;
  }
}

/** The condition a table draft stands for (only meaningful once draftProblems is empty). */
export function conditionOf(draft: TableDraft): Condition {
  const retriesAbove = Number(draft.retriesAbove);
  const when =
    draft.when === "always"
      ? undefined
      : draft.when === "anyFailure"
        ? { kind: "anyFailure" as const, retriesAbove }
        : { kind: "failure" as const, error: draft.error, retriesAbove };
  return { target: targetOf(draft.destination, splitNames(draft.names)), when };
}

/** The `if`/`then` texts of a draft, or null while a table draft has problems. */
export function ruleText(draft: RuleDraft): { if: string; then: string } | null {
  if (draft.kind === "text") return { if: draft.if, then: draft.then };
  if (draftProblems(draft).length > 0) return null;
  return render({ ...conditionOf(draft), strategy: draft.strategy });
}

/** The `else` text of the Otherwise draft, or null when its name cannot be written. */
export function otherwiseText(otherwise: OtherwiseDraft): string | null {
  if (otherwise.kind === "text") return otherwise.text;
  return canWriteName(otherwise.strategy) ? renderElse(otherwise.strategy) : null;
}

/** The whole expression a draft stands for, or null while some row cannot be written. */
export function rulesOf(draft: RulesDraft): TlsRules | null {
  const rules = draft.rules.map(ruleText);
  const elseText = otherwiseText(draft.otherwise);
  if (elseText === null || rules.some((rule) => rule === null)) return null;
  return { rules: rules as { if: string; then: string }[], else: elseText };
}

/** The rules with the one at `index` moved by `delta` places (-1 up, +1 down), if it can. */
export function moveRule<T>(rules: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  const moved = [...rules];
  if (to < 0 || to >= rules.length || index < 0 || index >= rules.length) return moved;
  [moved[index], moved[to]] = [moved[to] as T, moved[index] as T];
  return moved;
}

/** The rules without the one at `index`. */
export const removeRule = <T>(rules: readonly T[], index: number): T[] =>
  rules.filter((_, i) => i !== index);

/**
 * Whether a rule may catch mail to `domain` at some attempt: a table rule whose destination
 * does not include the domain never does; a failure-only rule, an MX rule (the MX host of the
 * domain is not known here) and a text rule (not read here) may.
 */
function mayCatch(draft: RuleDraft, domain: string): boolean {
  if (draft.kind === "text" || draftProblems(draft).length > 0) return true;
  const { target } = conditionOf(draft);
  if (!target || target.kind === "mxHost" || target.kind === "mxUnder") return true;
  return coversDomain(domain, target);
}

/**
 * Where "mail to `domain` uses S" goes: before the first rule that may catch mail to the
 * domain (first match wins, reference §0.2), so none of them takes it first; after the rules
 * about other domains, so their order stays; at the end when no rule may catch it.
 */
export function exceptionPosition(rules: readonly RuleDraft[], domain: string): number {
  const at = rules.findIndex((rule) => mayCatch(rule, domain));
  return at < 0 ? rules.length : at;
}

/** The draft with "mail to `domain` uses `strategy`" inserted where exceptionPosition says. */
export function withException(draft: RulesDraft, domain: string, strategy: string): RulesDraft {
  const rule: TableDraft = {
    kind: "table",
    id: newRowId(),
    destination: "domain",
    names: domain,
    when: "always",
    error: "tls",
    retriesAbove: "0",
    strategy,
  };
  const at = exceptionPosition(draft.rules, domain);
  return { ...draft, rules: [...draft.rules.slice(0, at), rule, ...draft.rules.slice(at)] };
}
