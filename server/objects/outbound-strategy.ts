import type { SetError } from "../../src/jmap/protocol";
import { compileExpression, toSetError } from "../../src/stalwart/expression/compile";
import { parseU32 } from "../../src/stalwart/expression/rust-text";
import { isJsonObject, keysInTextOrder } from "../values";

// The MtaOutboundStrategy singleton (shared wire reference §10): four expressions, of which
// `tls` picks a TLS strategy by name for each delivery. What x:MtaOutboundStrategy/set does
// with them is the shared expressions reference §5: patch first (shape errors are
// invalidPatch), then compile all four, in Stalwart's order (errors are validationFailed).

export const OBJECT = "MtaOutboundStrategy";
export const SINGLETON_ID = "singleton";

/**
 * An expression as stored and sent: `match` is an object keyed by position ("0" … "n-1", in
 * evaluation order), not an array.
 */
export interface Expression {
  match: Record<string, { if: string; then: string }>;
  else: string;
}

/** The singleton's properties, each an expression, in the order Stalwart compiles them. */
export const PROPERTIES = ["connection", "route", "schedule", "tls"] as const;
export type Property = (typeof PROPERTIES)[number];

/** The singleton's properties, each an expression. */
export type OutboundStrategy = Record<Property, Expression>;

export function isProperty(name: string): name is Property {
  return (PROPERTIES as readonly string[]).includes(name);
}

/**
 * What a server whose outbound strategy was never written answers (shared wire reference §10).
 * `is_local_domain` takes one argument in v0.16: the two-argument form of older versions does
 * not compile.
 */
export const DEFAULT_OUTBOUND_STRATEGY: OutboundStrategy = {
  connection: { match: {}, else: "'default'" },
  route: {
    match: { "0": { if: "is_local_domain(rcpt_domain)", then: "'local'" } },
    else: "'mx'",
  },
  schedule: {
    match: {
      "0": { if: "is_local_domain(rcpt_domain)", then: "'local'" },
      "1": { if: "source == 'dsn'", then: "'dsn'" },
      "2": { if: "source == 'report'", then: "'report'" },
    },
    else: "'remote'",
  },
  tls: {
    match: { "0": { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" } },
    else: "'default'",
  },
};

// The route and schedule defaults this server wrote to its store before it knew that v0.16's
// `is_local_domain` takes one argument; a store holding them unchanged gets today's defaults.
const LEGACY_CONDITION = "is_local_domain('*', rcpt_domain)";

const isLegacyDefault = (expression: Expression, property: "route" | "schedule") => {
  const { match, else: elseText } = DEFAULT_OUTBOUND_STRATEGY[property];
  const legacy = {
    match: { ...match, "0": { if: LEGACY_CONDITION, then: "'local'" } },
    else: elseText,
  };
  return JSON.stringify(expression) === JSON.stringify(legacy);
};

/** `outbound` with the legacy route and schedule defaults replaced by today's (or itself). */
export function withoutLegacyDefaults(outbound: OutboundStrategy): OutboundStrategy {
  let next = outbound;
  for (const property of ["route", "schedule"] as const) {
    if (isLegacyDefault(outbound[property], property))
      next = { ...next, [property]: structuredClone(DEFAULT_OUTBOUND_STRATEGY[property]) };
  }
  return next;
}

// --- Patching (shared expressions reference §1.1, §5.2) ---------------------------------------

const INVALID_VALUE = "Invalid value for property.";

const invalidPatch = (description: string, path: string): SetError => ({
  type: "invalidPatch",
  description,
  properties: [path],
});

type Read<T> = { ok: true; value: T } | { ok: false; error: SetError };

/**
 * `match` as Stalwart's List reads it: an object whose keys are u32 ("01" and "1" are one key,
 * the later in the text wins), entries `{if, then}` with non-empty strings; it replaces the
 * whole list. The rules come back in key order, renumbered 0..n-1 as the store keeps them.
 */
function readRules(value: unknown, path: string): Read<Expression["match"]> {
  if (!isJsonObject(value))
    return { ok: false, error: invalidPatch("Invalid value for object property", path) };
  const byPosition = new Map<number, { if: string; then: string }>();
  for (const key of keysInTextOrder(value)) {
    const position = parseU32(key);
    if (position === undefined)
      return { ok: false, error: invalidPatch("Invalid key for object property", path) };
    const rule = value[key];
    if (!isJsonObject(rule))
      return { ok: false, error: invalidPatch("Invalid value for object property", path) };
    // An absent `if` or `then` stays empty: compiling refuses it (IB "must be non-empty").
    const entry = { if: "", then: "" };
    for (const member of keysInTextOrder(rule)) {
      if (member !== "if" && member !== "then")
        return { ok: false, error: invalidPatch("Invalid property", `${path}/${member}`) };
      const text = rule[member];
      if (typeof text !== "string" || text === "")
        return { ok: false, error: invalidPatch(INVALID_VALUE, `${path}/${member}`) };
      entry[member] = text;
    }
    byPosition.set(position, entry);
  }
  const rules = [...byPosition].sort(([a], [b]) => a - b);
  return { ok: true, value: Object.fromEntries(rules.map(([, rule], i) => [String(i), rule])) };
}

/**
 * Applies the patch of one expression property to its stored value, member by member in the
 * order of the request: `match` replaces the rules, `else` the fallback, an omitted member
 * keeps what is stored. The first bad member decides the invalidPatch error.
 */
export function patchExpression(
  stored: Expression,
  patch: unknown,
  property: Property,
): Read<Expression> {
  if (!isJsonObject(patch)) return { ok: false, error: invalidPatch(INVALID_VALUE, property) };
  let match = stored.match;
  let elseText = stored.else;
  for (const member of keysInTextOrder(patch)) {
    const value = patch[member];
    if (member === "match") {
      const rules = readRules(value, `${property}/match`);
      if (!rules.ok) return rules;
      match = rules.value;
    } else if (member === "else") {
      if (typeof value !== "string" || value === "")
        return { ok: false, error: invalidPatch(INVALID_VALUE, `${property}/else`) };
      elseText = value;
    } else {
      return { ok: false, error: invalidPatch("Invalid property", `${property}/${member}`) };
    }
  }
  return { ok: true, value: { match: structuredClone(match), else: elseText } };
}

// --- Compiling (shared expressions reference §5.1 step 3) --------------------------------------

/** The expression as the compiler reads it: an empty text is an absent one. */
function compilerInput(expression: Expression): Record<string, unknown> {
  const match: Record<string, Record<string, string>> = {};
  for (const [key, rule] of Object.entries(expression.match)) {
    const entry: Record<string, string> = {};
    if (rule.if !== "") entry.if = rule.if;
    if (rule.then !== "") entry.then = rule.then;
    match[key] = entry;
  }
  return expression.else === "" ? { match } : { match, else: expression.else };
}

/** Why `expression` does not compile as `property`, as the SetError /set answers; or null. */
export function compileErrorOf(expression: Expression, property: Property): SetError | null {
  const compiled = compileExpression(compilerInput(expression), property);
  return compiled.ok ? null : toSetError(compiled.error, property);
}

/**
 * Compiles every expression of the object in Stalwart's order (connection, route, schedule,
 * tls) and answers the first failure: so a broken `route` already stored blocks saving `tls`.
 */
export function firstCompileError(outbound: OutboundStrategy): SetError | null {
  for (const property of PROPERTIES) {
    const error = compileErrorOf(outbound[property], property);
    if (error) return error;
  }
  return null;
}

/**
 * The expressions delivery runs with after a reload: one that does not compile (only possible
 * for data not written through /set) is replaced by its built-in default, as Stalwart does
 * (shared expressions reference §5.3).
 */
export function runnableOutbound(outbound: OutboundStrategy): OutboundStrategy {
  if (firstCompileError(outbound) === null) return outbound;
  const runnable = { ...outbound };
  for (const property of PROPERTIES) {
    if (compileErrorOf(outbound[property], property))
      runnable[property] = structuredClone(DEFAULT_OUTBOUND_STRATEGY[property]);
  }
  return runnable;
}

/**
 * Whether `value` is an expression as the store keeps it: an `else` text and rules keyed
 * "0".."n-1", each with exactly an `if` and a `then` text, all non-empty.
 */
export function isStoredExpression(value: unknown): value is Expression {
  if (!isJsonObject(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 2 || !keys.includes("match") || !keys.includes("else")) return false;
  if (typeof value.else !== "string" || value.else === "") return false;
  const { match } = value;
  if (!isJsonObject(match)) return false;
  return Object.entries(match).every(
    ([key, rule], index) =>
      key === String(index) &&
      isJsonObject(rule) &&
      Object.keys(rule).length === 2 &&
      typeof rule.if === "string" &&
      rule.if !== "" &&
      typeof rule.then === "string" &&
      rule.then !== "",
  );
}
