// Compiles a whole `{match, else}` expression the way x:MtaOutboundStrategy/set does
// (shared expressions reference §5.1, §5.2; IB = crates/common/src/expr/if_block.rs), so the
// page can pre-validate and the embedded server can answer /set with the same errors. No DOM,
// no React: the server imports this module.

import { type ExpressionError, type Program, parseExpression } from "./parser";
import { parseU32 } from "./rust-text";

/** One rule after compilation; `key` is its `match` key, rules are sorted by it. */
export type CompiledRule = { key: number; if: Program; then: Program };

/** A compiled IfBlock: the rules in evaluation order and the `else` program. */
export type CompiledExpression = { rules: readonly CompiledRule[]; else: Program };

/** Which text of a rule an error is about. */
export type ExpressionPart = "if" | "then" | "else";

/**
 * Why /set would refuse the expression. `validationFailed.value` is the server's exact text;
 * `rule` (0-based, in sorted order, so condition #rule+1) and `part` say which text it is
 * about and `position` the byte offset inside that text. `invalidPatch` is a shape error.
 */
export type CompileError =
  | {
      kind: "validationFailed";
      value: string;
      rule?: number;
      part?: ExpressionPart;
      position?: number;
    }
  | { kind: "invalidPatch"; description: string; properties: string[] };

export type CompileResult =
  | { ok: true; compiled: CompiledExpression }
  | { ok: false; error: CompileError };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

class PatchError {
  constructor(
    readonly description: string,
    readonly path: string,
  ) {}
}

const INVALID_VALUE = "Invalid value for property.";

/** A non-empty string field, as the patch reader accepts it (patch.rs l.189-213). */
function textField(value: unknown, path: string): string {
  if (value === undefined) return "";
  if (typeof value !== "string" || value === "") throw new PatchError(INVALID_VALUE, path);
  return value;
}

type RawRule = { key: number; if: string; then: string };

// list.rs l.123-147: `match` is an object keyed by u32; "01" and "1" are one key (the later
// wins), a non-numeric key or a JSON array is refused. JS objects list integer-like keys
// first, so for "01" vs "1" the later one is the later in JS property order.
function readRules(value: unknown, property: string): RawRule[] {
  const path = `${property}/match`;
  if (value === undefined) return [];
  if (!isRecord(value)) throw new PatchError("Invalid value for object property", path);
  const byKey = new Map<number, RawRule>();
  for (const [rawKey, rawRule] of Object.entries(value)) {
    const key = parseU32(rawKey);
    if (key === undefined) throw new PatchError("Invalid key for object property", path);
    if (!isRecord(rawRule)) throw new PatchError("Invalid value for object property", path);
    for (const member of Object.keys(rawRule)) {
      if (member !== "if" && member !== "then")
        throw new PatchError("Invalid property", `${path}/${member}`);
    }
    byKey.set(key, {
      key,
      if: textField(rawRule.if, `${path}/if`),
      then: textField(rawRule.then, `${path}/then`),
    });
  }
  return [...byKey.values()].sort((a, b) => a.key - b.key);
}

class PartError {
  constructor(readonly error: CompileError) {}
}

type Place = { rule?: number; part: ExpressionPart };

function parsePart(text: string, wrap: (message: string) => string, place: Place): Program {
  const parsed = parseExpression(text);
  if (parsed.ok) return parsed.program;
  throw new PartError(failure(parsed.error, wrap, place));
}

function failure(
  error: ExpressionError,
  wrap: (message: string) => string,
  place: Place,
): CompileError {
  return {
    kind: "validationFailed",
    value: wrap(error.message),
    ...place,
    position: error.position,
  };
}

/**
 * Compiles a `tls`-style expression `{match?: {[u32 key]: {if, then}}, else}` from its JSON
 * value (unknown input is checked). Rules run in numeric key order. The order of checks is the
 * server's: patch shape first (invalidPatch with its description and property path), then IB
 * l.117-211: a missing `else`, empty texts, the `else`, and each rule's `if` then `then`,
 * numbered from #1. `property` names the expression in paths (default "tls").
 */
export function compileExpression(input: unknown, property = "tls"): CompileResult {
  let rules: RawRule[] = [];
  let elseText = "";
  try {
    if (!isRecord(input)) throw new PatchError(INVALID_VALUE, property);
    for (const [member, value] of Object.entries(input)) {
      if (member === "match") rules = readRules(value, property);
      else if (member === "else") elseText = textField(value, `${property}/else`);
      else throw new PatchError("Invalid property", `${property}/${member}`);
    }
  } catch (error) {
    if (!(error instanceof PatchError)) throw error;
    const { description, path } = error;
    return { ok: false, error: { kind: "invalidPatch", description, properties: [path] } };
  }
  const invalid = (value: string): CompileResult => ({
    ok: false,
    error: { kind: "validationFailed", value },
  });
  // Only reachable when `else`, `if` or `then` is absent: present empty strings were refused
  // above. With no rules and no else the server keeps an empty block (no result, "default").
  if (elseText === "" && rules.length > 0)
    return invalid("Missing 'else' block in 'if' expression");
  if (rules.some((rule) => rule.if === "" || rule.then === ""))
    return invalid("All 'if' and 'then' blocks must be non-empty");
  try {
    const elseProgram = parsePart(elseText, (m) => `Error parsing 'else' expression: ${m}`, {
      part: "else",
    });
    const compiled = rules.map((rule, index) => {
      const where = (part: "if" | "then") => (m: string) =>
        `Error parsing '${part}' expression in condition #${index + 1}: ${m}`;
      return {
        key: rule.key,
        if: parsePart(rule.if, where("if"), { rule: index, part: "if" }),
        then: parsePart(rule.then, where("then"), { rule: index, part: "then" }),
      };
    });
    return { ok: true, compiled: { rules: compiled, else: elseProgram } };
  } catch (error) {
    if (error instanceof PartError) return { ok: false, error: error.error };
    throw error;
  }
}

/** Compiles an expression given as ordered texts (the page's own rows), numbering keys 0..n-1. */
export function compileRules(
  rules: readonly { if: string; then: string }[],
  elseText: string,
): CompileResult {
  const match = Object.fromEntries(rules.map((rule, index) => [String(index), rule]));
  return compileExpression({ match, else: elseText });
}

/** A JMAP SetError object, as x:MtaOutboundStrategy/set reports the error (reference §5.2). */
export type ExpressionSetError =
  | {
      type: "validationFailed";
      properties: string[];
      validationErrors: { type: "Invalid"; property: string; value: string }[];
    }
  | { type: "invalidPatch"; description: string; properties: string[] };

/** The SetError the server sends for `error` on expression `property` (objectId omitted). */
export function toSetError(error: CompileError, property = "tls"): ExpressionSetError {
  if (error.kind === "invalidPatch")
    return { type: "invalidPatch", description: error.description, properties: error.properties };
  return {
    type: "validationFailed",
    properties: [property],
    validationErrors: [{ type: "Invalid", property, value: error.value }],
  };
}
