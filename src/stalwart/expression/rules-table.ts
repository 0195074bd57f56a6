// The canonical rules table over the `tls` expression (shared expressions reference §6.3). A
// rule is a table row only when its text is exactly what render() writes, byte for byte; any
// other text stays a text row and is never rewritten. recognise() therefore parses a strict
// grammar and then checks the round trip itself.

import { LAST_ERROR_KINDS, type LastErrorKind } from "./vocabulary";

/** Which mail a row is about. Domains and hosts are lower-case A-labels, dot-separated. */
export type Target =
  | { kind: "domain"; domain: string }
  | { kind: "domainList"; domains: readonly string[] }
  | { kind: "subdomainsOf"; domain: string }
  | { kind: "domainAndSubdomains"; domain: string }
  | { kind: "mxHost"; host: string }
  | { kind: "mxUnder"; suffix: string };

/** When a row applies: after a failure of one kind, or of any kind, with retry_num > K. */
export type When =
  | { kind: "failure"; error: LastErrorKind; retriesAbove: number }
  | { kind: "anyFailure"; retriesAbove: number };

/** The condition of a row: at least one of target and when. */
export type Condition = { target?: Target; when?: When };

/** A table row: a condition and the strategy name it picks. */
export type Row = Condition & { strategy: string };

const DOMAIN = "[a-z0-9-]+(?:\\.[a-z0-9-]+)*";
const DOMAIN_ONLY = new RegExp(`^${DOMAIN}$`);
const COUNT = "0|[1-9][0-9]*";
const ERRORS: ReadonlySet<string> = new Set(LAST_ERROR_KINDS);

/**
 * Whether mail to `domain` (lower-case A-label) is mail a row's destination names: the domain,
 * one of the list, a subdomain, or the domain and its subdomains. Never for an MX host or
 * suffix: which MX hosts serve a domain is not known from its name.
 */
export function coversDomain(domain: string, target: Target): boolean {
  const under = (parent: string) => domain.endsWith(`.${parent}`);
  switch (target.kind) {
    case "domain":
      return domain === target.domain;
    case "domainList":
      return target.domains.includes(domain);
    case "subdomainsOf":
      return under(target.domain);
    case "domainAndSubdomains":
      return domain === target.domain || under(target.domain);
    default:
      return false;
  }
}

/** True for a lower-case A-label domain the table can write without escaping (§6.3). */
export function isCanonicalDomain(domain: string): boolean {
  return DOMAIN_ONLY.test(domain);
}

/**
 * The canonical `then`/`else` text for a strategy name: `'S'`, or `"S"` when S holds `'`.
 * Undefined when the name cannot be written faithfully: empty, or holding a backslash or
 * both quote characters (strings keep their backslashes, reference §1.3).
 */
export function renderName(name: string): string | undefined {
  if (name === "" || name.includes("\\")) return undefined;
  if (!name.includes("'")) return `'${name}'`;
  return name.includes('"') ? undefined : `"${name}"`;
}

/** The strategy name in a canonical `then`/`else` text, or null for any other text. */
export function recogniseName(text: string): string | null {
  const quote = text[0];
  if (text.length < 2 || (quote !== "'" && quote !== '"') || !text.endsWith(quote)) return null;
  const name = text.slice(1, -1);
  return renderName(name) === text ? name : null;
}

function renderTarget(target: Target): string {
  switch (target.kind) {
    case "domain":
      return `rcpt_domain == '${target.domain}'`;
    case "domainList":
      return `contains([${target.domains.map((d) => `'${d}'`).join(", ")}], rcpt_domain)`;
    case "subdomainsOf":
      return `ends_with(rcpt_domain, '.${target.domain}')`;
    case "domainAndSubdomains":
      return `rcpt_domain == '${target.domain}' || ends_with(rcpt_domain, '.${target.domain}')`;
    case "mxHost":
      return `mx == '${target.host}'`;
    case "mxUnder":
      return `ends_with(mx, '.${target.suffix}')`;
  }
}

function renderWhen(when: When): string {
  const retry = `retry_num > ${when.retriesAbove}`;
  return when.kind === "failure" ? `${retry} && last_error == '${when.error}'` : retry;
}

function targetNames(target: Target): readonly string[] {
  switch (target.kind) {
    case "domainList":
      return target.domains;
    case "mxHost":
      return [target.host];
    case "mxUnder":
      return [target.suffix];
    default:
      return [target.domain];
  }
}

function isWritable(condition: Condition): boolean {
  const { target, when } = condition;
  if (!target && !when) return false;
  if (target && !targetNames(target).every(isCanonicalDomain)) return false;
  if (target?.kind === "domainList" && target.domains.length < 2) return false;
  if (when && !(Number.isSafeInteger(when.retriesAbove) && when.retriesAbove >= 0)) return false;
  return !(when?.kind === "failure" && !ERRORS.has(when.error));
}

/**
 * The exact `if` text of a condition: TARGET, WHEN, or `TARGET && WHEN` with the "D and its
 * subdomains" target parenthesised there. Throws a RangeError for a condition the table cannot
 * write (neither part, a non-canonical domain, fewer than two list entries, a bad count).
 */
export function renderCondition(condition: Condition): string {
  if (!isWritable(condition)) throw new RangeError("This condition has no canonical text.");
  const { target, when } = condition;
  if (!target) return renderWhen(when as When);
  const written = renderTarget(target);
  if (!when) return written;
  const left = target.kind === "domainAndSubdomains" ? `(${written})` : written;
  return `${left} && ${renderWhen(when)}`;
}

/** The `if` and `then` texts of a row. Throws a RangeError when the row cannot be written. */
export function render(row: Row): { if: string; then: string } {
  const then = renderName(row.strategy);
  if (then === undefined) throw new RangeError("This strategy name cannot be written as text.");
  return { if: renderCondition(row), then };
}

const WHEN_PATTERN = new RegExp(`^retry_num > (${COUNT})(?: && last_error == '([a-z-]+)')?$`);

function recogniseWhen(text: string): When | undefined {
  const match = WHEN_PATTERN.exec(text);
  if (!match) return undefined;
  const retriesAbove = Number(match[1]);
  const error = match[2];
  if (error === undefined) return { kind: "anyFailure", retriesAbove };
  return ERRORS.has(error)
    ? { kind: "failure", error: error as LastErrorKind, retriesAbove }
    : undefined;
}

// Each target form as a sticky pattern; `rest` is what follows it (nothing, or ` && WHEN`).
const TARGET_PATTERNS: readonly [RegExp, (m: RegExpExecArray) => Target | undefined][] = [
  [
    new RegExp(
      `\\(rcpt_domain == '(${DOMAIN})' \\|\\| ends_with\\(rcpt_domain, '\\.(${DOMAIN})'\\)\\)`,
      "y",
    ),
    (m) => (m[1] === m[2] && m[1] ? { kind: "domainAndSubdomains", domain: m[1] } : undefined),
  ],
  [
    new RegExp(
      `rcpt_domain == '(${DOMAIN})' \\|\\| ends_with\\(rcpt_domain, '\\.(${DOMAIN})'\\)`,
      "y",
    ),
    (m) => (m[1] === m[2] && m[1] ? { kind: "domainAndSubdomains", domain: m[1] } : undefined),
  ],
  [
    new RegExp(`rcpt_domain == '(${DOMAIN})'`, "y"),
    (m) => ({ kind: "domain", domain: m[1] ?? "" }),
  ],
  [
    new RegExp(`contains\\(\\[('${DOMAIN}'(?:, '${DOMAIN}')+)\\], rcpt_domain\\)`, "y"),
    (m) => ({ kind: "domainList", domains: (m[1] ?? "").slice(1, -1).split("', '") }),
  ],
  [
    new RegExp(`ends_with\\(rcpt_domain, '\\.(${DOMAIN})'\\)`, "y"),
    (m) => ({ kind: "subdomainsOf", domain: m[1] ?? "" }),
  ],
  [new RegExp(`mx == '(${DOMAIN})'`, "y"), (m) => ({ kind: "mxHost", host: m[1] ?? "" })],
  [
    new RegExp(`ends_with\\(mx, '\\.(${DOMAIN})'\\)`, "y"),
    (m) => ({ kind: "mxUnder", suffix: m[1] ?? "" }),
  ],
];

function parseCondition(text: string): Condition | undefined {
  const when = recogniseWhen(text);
  if (when) return { when };
  for (const [pattern, read] of TARGET_PATTERNS) {
    pattern.lastIndex = 0;
    const match = pattern.exec(text);
    const target = match ? read(match) : undefined;
    if (!match || !target) continue;
    const rest = text.slice(match[0].length);
    if (rest === "") return { target };
    const after = rest.startsWith(" && ") ? recogniseWhen(rest.slice(4)) : undefined;
    if (after) return { target, when: after };
  }
  return undefined;
}

/** The condition of a canonical `if` text, or null when the text is not byte-for-byte one. */
export function recogniseCondition(text: string): Condition | null {
  const condition = parseCondition(text);
  if (!condition || !isWritable(condition)) return null;
  return renderCondition(condition) === text ? condition : null;
}

/**
 * Reads a rule as a table row: the structured row when both texts are exactly what render()
 * would write, null otherwise (the rule stays a text row, kept verbatim).
 */
export function recognise(ifText: string, thenText: string): Row | null {
  const condition = recogniseCondition(ifText);
  const strategy = recogniseName(thenText);
  if (!condition || strategy === null) return null;
  const row: Row = { ...condition, strategy };
  const written = render(row);
  return written.if === ifText && written.then === thenText ? row : null;
}

/** The strategy name of a canonical `else` text, or null (a text `else`). */
export function recogniseElse(text: string): string | null {
  return recogniseName(text);
}

/** The canonical `else` text for a strategy name; throws a RangeError if it cannot be written. */
export function renderElse(strategy: string): string {
  const text = renderName(strategy);
  if (text === undefined) throw new RangeError("This strategy name cannot be written as text.");
  return text;
}
