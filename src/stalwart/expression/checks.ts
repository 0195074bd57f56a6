// The warnings the rules editor raises over the `tls` expression (shared expressions reference
// §6.3 "Warnings the table should raise", §2.9, §3.1-§3.3, §1.7). The server checks none of
// this: it accepts unknown strategy names, unreachable rules and values that are not names.

import { normaliseDomain } from "./evaluate";
import { type Instruction, type Program, parseExpression } from "./parser";
import {
  type Condition,
  coversDomain,
  recogniseCondition,
  renderName,
  type Target,
  type When,
} from "./rules-table";
import { isAscii } from "./rust-text";
import { type Quirk, type Token, Tokenizer } from "./tokenizer";
import { LAST_ERROR_KINDS } from "./vocabulary";

export type FindingCode =
  | "does-not-compile"
  | "unknown-strategy"
  | "no-default-strategy"
  | "not-a-name"
  | "bare-setting-word"
  | "computed-value"
  | "backslash-in-name"
  | "unreachable"
  | "domain-not-normalised"
  | "unknown-error-kind"
  | "mx-only-per-host"
  | "last-error-last-host"
  | "repeated-side-effect"
  | "meaningless-variable"
  | "duration-in-milliseconds"
  | "single-equals"
  | "text-after-brace";

/** One finding about a rule (0-based index in evaluation order) or the `else` value. */
export type Finding = {
  ruleIndex: number | "else";
  severity: "warning" | "error";
  code: FindingCode;
  message: string;
};

export type CheckInput = {
  /** The rules in evaluation order (sorted by key). */
  rules: readonly { if: string; then: string }[];
  else: string;
  /** The names of the existing TLS strategies. */
  strategies: readonly string[];
};

const BUILT_IN =
  "Stalwart's built-in defaults (DANE, MTA-STS and STARTTLS all optional, certificates checked)";
const ERROR_KINDS: ReadonlySet<string> = new Set(["none", ...LAST_ERROR_KINDS]);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function tokensOf(text: string): { tokens: Token[]; source: Uint8Array } {
  const tokenizer = new Tokenizer(text);
  const tokens: Token[] = [];
  try {
    for (let token = tokenizer.next(); token; token = tokenizer.next()) tokens.push(token);
  } catch {
    // Only called on texts that compiled, so the tokenizer cannot fail here.
  }
  return { tokens, source: encoder.encode(text) };
}

const variablesIn = (program: Program) =>
  new Set(program.flatMap((step) => (step.op === "variable" ? [step.name] : [])));

function literalOf(step: Instruction | undefined): string | undefined {
  return step?.op === "literal" && step.literal.kind === "string" ? step.literal.value : undefined;
}

/** The string literals compared with == or != to `variable` (either side), from the program. */
function comparedWith(program: Program, variable: string): string[] {
  const found: string[] = [];
  program.forEach((step, i) => {
    if (step.op !== "binary" || (step.operator !== "eq" && step.operator !== "ne")) return;
    const [a, b] = [program[i - 2], program[i - 1]];
    const isVariable = (s: Instruction | undefined) => s?.op === "variable" && s.name === variable;
    const value = isVariable(a) ? literalOf(b) : isVariable(b) ? literalOf(a) : undefined;
    if (value !== undefined) found.push(value);
  });
  return found;
}

// Does every message `inner` matches also match `outer`?
function targetCovers(outer: Target, inner: Target): boolean {
  const under = (name: string, parent: string) => name === parent || name.endsWith(`.${parent}`);
  switch (inner.kind) {
    case "domain":
      return coversDomain(inner.domain, outer);
    case "domainList":
      return inner.domains.every((domain) => coversDomain(domain, outer));
    case "subdomainsOf":
    case "domainAndSubdomains":
      if (outer.kind === "domainAndSubdomains") return under(inner.domain, outer.domain);
      return outer.kind === "subdomainsOf" && inner.kind === "subdomainsOf"
        ? under(inner.domain, outer.domain)
        : outer.kind === "subdomainsOf" && inner.domain.endsWith(`.${outer.domain}`);
    case "mxHost":
      return (
        (outer.kind === "mxHost" && outer.host === inner.host) ||
        (outer.kind === "mxUnder" && inner.host.endsWith(`.${outer.suffix}`))
      );
    case "mxUnder":
      return outer.kind === "mxUnder" && under(inner.suffix, outer.suffix);
  }
}

function whenCovers(outer: When | undefined, inner: When | undefined): boolean {
  if (!outer) return true;
  if (!inner || inner.retriesAbove < outer.retriesAbove) return false;
  return outer.kind === "anyFailure" || (inner.kind === "failure" && inner.error === outer.error);
}

const covers = (outer: Condition, inner: Condition) =>
  (!outer.target || (inner.target !== undefined && targetCovers(outer.target, inner.target))) &&
  whenCovers(outer.when, inner.when);

function isAlwaysTrue(program: Program): boolean {
  const [only] = program;
  if (program.length !== 1 || only?.op !== "literal") return false;
  const { literal } = only;
  if (literal.kind === "string") return literal.value !== "";
  if (literal.kind === "integer") return literal.value !== 0n;
  return literal.kind === "constant" || literal.value !== 0;
}

type Parsed =
  | { ok: true; program: Program; quirks: Quirk[]; tokens: Token[]; source: Uint8Array }
  | { ok: false; message: string };

function parse(text: string): Parsed {
  const parsed = parseExpression(text);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  return { ok: true, program: parsed.program, quirks: parsed.quirks, ...tokensOf(text) };
}

/**
 * Checks the rules, the `else` value and the list of existing strategy names, and returns the
 * findings in plain words: texts /set would refuse, names no strategy has, values that are
 * not names, rules that can never apply, domains that can never match, and the MX, last_error,
 * side-effect, remote_ip/local_ip, duration, `=` and `}` pitfalls.
 */
export function checkTlsExpression(input: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const add = (
    ruleIndex: number | "else",
    code: FindingCode,
    message: string,
    severity: Finding["severity"] = "warning",
  ): void => {
    findings.push({ ruleIndex, severity, code, message });
  };
  const hasDefault = input.strategies.includes("default");
  const rules = input.rules.map((rule) => ({ if: parse(rule.if), then: parse(rule.then) }));
  const elseValue = parse(input.else);

  rules.forEach((rule, index) => {
    for (const part of ["if", "then"] as const) {
      const parsed = rule[part];
      if (!parsed.ok)
        add(
          index,
          "does-not-compile",
          `Error parsing '${part}' expression in condition #${index + 1}: ${parsed.message}`,
          "error",
        );
    }
  });
  if (!elseValue.ok)
    add(
      "else",
      "does-not-compile",
      `Error parsing 'else' expression: ${elseValue.message}`,
      "error",
    );

  const checkValue = (at: number | "else", parsed: Parsed) => {
    if (!parsed.ok) return;
    const fallback = hasDefault
      ? 'the strategy named "default"'
      : `the name "default", which no strategy has, so this mail gets ${BUILT_IN}`;
    const [only] = parsed.program;
    const name = parsed.program.length === 1 ? literalOf(only) : undefined;
    if (name === undefined) {
      // A blank value gives '' (no such strategy), except a blank `else` with no rules: the
      // block is then empty and the server falls back to "default" (§2.6).
      if (parsed.program.length === 0)
        return add(
          at,
          "not-a-name",
          at !== "else" || input.rules.length > 0
            ? `The value is blank, which names no strategy: this mail gets ${BUILT_IN}.`
            : `The value is blank, so Stalwart uses ${fallback}.`,
        );
      if (only?.op === "literal" && only.literal.kind === "constant") {
        const word = only.literal.name;
        return add(
          at,
          "bare-setting-word",
          `${word} has no quotes, so it is an old-style setting word, not a strategy name, and Stalwart uses ${fallback}. Write '${word}' to pick a strategy called ${word}.`,
        );
      }
      if (parsed.program.length === 1 && only?.op === "literal")
        return add(
          at,
          "not-a-name",
          `The value is a number, not a strategy name in quotes, so Stalwart uses ${fallback}.`,
        );
      return add(
        at,
        "computed-value",
        `The value is worked out by an expression instead of being a quoted strategy name, so the table cannot show it. Anything other than text makes Stalwart use ${fallback}.`,
      );
    }
    if (renderName(name) === undefined && name !== "")
      add(
        at,
        "backslash-in-name",
        `The name is read with its backslashes and quotes as written (${JSON.stringify(name)}); a strategy needs exactly that name.`,
      );
    if (input.strategies.includes(name)) return;
    if (name === "default")
      return add(
        at,
        "no-default-strategy",
        `No strategy is named "default", so this mail gets ${BUILT_IN}.`,
      );
    if (name === "")
      return add(
        at,
        "unknown-strategy",
        `The value '' names no strategy: this mail gets ${BUILT_IN}.`,
      );
    add(
      at,
      "unknown-strategy",
      `No TLS strategy is named "${name}": this mail gets ${BUILT_IN} until you create one with that name.`,
    );
  };
  for (const [index, rule] of rules.entries()) checkValue(index, rule.then);
  checkValue("else", elseValue);

  const conditions = input.rules.map((rule) => recogniseCondition(rule.if));
  let alwaysAt: number | undefined;
  for (const [index, rule] of rules.entries()) {
    const shadow = alwaysAt ?? shadowingRule(index);
    if (shadow !== undefined) {
      const why =
        shadow === alwaysAt
          ? "applies to all mail"
          : input.rules[shadow]?.if === input.rules[index]?.if
            ? "has the same condition"
            : "already catches all the mail it would";
      const fix = shadow === alwaysAt ? "" : ` Move it above rule ${shadow + 1} or remove it.`;
      add(
        index,
        "unreachable",
        `Rule ${index + 1} can never apply: rule ${shadow + 1} comes first and ${why}.${fix}`,
      );
    }
    if (alwaysAt === undefined && rule.if.ok && isAlwaysTrue(rule.if.program)) alwaysAt = index;
  }
  function shadowingRule(index: number): number | undefined {
    for (let earlier = 0; earlier < index; earlier++) {
      if (!rules[earlier]?.if.ok) continue;
      const [outer, inner] = [conditions[earlier], conditions[index]];
      if (input.rules[earlier]?.if === input.rules[index]?.if) return earlier;
      if (outer && inner && covers(outer, inner)) return earlier;
    }
    return undefined;
  }
  if (alwaysAt !== undefined)
    add(
      "else",
      "unreachable",
      `The otherwise value is never used: rule ${alwaysAt + 1} applies to all mail.`,
    );

  const scan = (at: number | "else", parsed: Parsed, isCondition: boolean) => {
    if (!parsed.ok) return;
    const used = variablesIn(parsed.program);
    for (const token of parsed.tokens) {
      if (
        token.type === "function" &&
        (token.fn.name === "key_set" || token.fn.name === "counter_incr")
      )
        add(
          at,
          "repeated-side-effect",
          `${token.fn.name} changes stored data each time the expression runs, and Stalwart runs it at least twice per delivery attempt (once for the domain, once per MX host), so the change repeats.`,
        );
      if (token.type === "variable" && (token.name === "remote_ip" || token.name === "local_ip"))
        add(
          at,
          "meaningless-variable",
          `${token.name} means nothing here: it is 0.0.0.0 when this expression runs for the domain and the first MX host, and left over from the previous host after that.`,
        );
      const word = decoder.decode(parsed.source.subarray(token.start, token.end));
      if (
        token.type === "literal" &&
        token.literal.kind === "integer" &&
        /[a-zA-Z]/.test(word) &&
        (used.has("queue_age") || used.has("expires_in"))
      )
        add(
          at,
          "duration-in-milliseconds",
          `${word} means ${token.literal.value} milliseconds, but queue_age and expires_in count seconds (expires_in may even count attempts). Write the number of seconds, for example 3600 for one hour.`,
        );
    }
    for (const quirk of parsed.quirks) {
      if (quirk.kind === "equalsSwallowed")
        add(
          at,
          "single-equals",
          `A single = swallows the character right after it, so '${quirk.swallowed}' is ignored and the comparison is not what it looks like. Write == instead.`,
        );
      else add(at, "text-after-brace", "Everything after the } is ignored by Stalwart.");
    }
    if (!isCondition) return;
    if (used.has("mx"))
      add(
        at,
        "mx-only-per-host",
        "This rule looks at the MX host, which Stalwart only knows when it connects to each host. The MTA-STS policy of the domain is fetched using the choice made before any host is known (mx is empty then), so this rule does not affect MTA-STS.",
      );
    if (used.has("last_error"))
      add(
        at,
        "last-error-last-host",
        "last_error is the error of the last MX host tried. If one host fails on TLS and a later one fails differently (say, a connection error), this rule does not apply.",
      );
    for (const value of comparedWith(parsed.program, "last_error"))
      if (!ERROR_KINDS.has(value))
        add(
          at,
          "unknown-error-kind",
          `last_error is never '${value}': it is one of ${[...ERROR_KINDS].join(", ")} (lower-case).`,
        );
    if (!used.has("rcpt_domain") && !used.has("mx")) return;
    for (const token of parsed.tokens) {
      if (token.type !== "literal" || token.literal.kind !== "string") continue;
      const value = token.literal.value;
      const dot = value.startsWith(".") ? "." : "";
      const domain = value.slice(dot.length);
      const isNonAscii = !isAscii(domain);
      if (
        /[\s@]/.test(domain) ||
        !(isNonAscii || domain.includes(".")) ||
        !(isNonAscii || /[A-Z]/.test(domain))
      )
        continue;
      const fixed = dot + normaliseDomain(domain);
      if (fixed !== value)
        add(
          at,
          "domain-not-normalised",
          `'${value}' never matches: Stalwart compares domain names in lower case${isNonAscii ? " and in their xn-- (punycode) form" : ""}. Write '${fixed}' instead.`,
        );
    }
  };
  rules.forEach((rule, index) => {
    scan(index, rule.if, true);
    scan(index, rule.then, false);
  });
  scan("else", elseValue, false);
  return findings;
}
