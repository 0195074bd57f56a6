// Runtime values of Stalwart's expression language and its operators (shared expressions
// reference §2.1-§2.4; E = crates/common/src/expr/eval.rs). Integers are i64 as bigint with
// Rust's saturating arithmetic; strings compare by UTF-8 bytes; a string meeting a number is
// parsed with Rust's rules, junk becoming 0.

import { compareUtf8, displayFloat, parseF64, parseI64, saturateI64, wrapI64 } from "./rust-text";
import type { BinaryOperator, Literal, UnaryOperator } from "./tokenizer";
import { CONSTANTS } from "./vocabulary";

/** One runtime value (E mod.rs l.53-72). A constant is kept by id (its ordering key). */
export type Value =
  | { type: "string"; value: string }
  | { type: "integer"; value: bigint }
  | { type: "float"; value: number }
  | { type: "array"; items: readonly Value[] }
  | { type: "constant"; id: number };

/** Value constructors: a string, an i64, an f64, an array, and a 0/1 integer. */
export const text = (value: string): Value => ({ type: "string", value });
/** See `text`. */
export const integer = (value: bigint): Value => ({ type: "integer", value });
/** See `text`. */
export const float = (value: number): Value => ({ type: "float", value });
/** See `text`. */
export const array = (items: readonly Value[]): Value => ({ type: "array", items });
/** See `text`. */
export const boolean = (value: boolean): Value => integer(value ? 1n : 0n);

/** The value of an empty stack or a missing operand: the empty string (§2.1). */
export const EMPTY: Value = text("");

/** The runtime value of a literal. */
export function literalValue(literal: Literal): Value {
  if (literal.kind === "string") return text(literal.value);
  if (literal.kind === "integer") return integer(literal.value);
  if (literal.kind === "float") return float(literal.value);
  return { type: "constant", id: literal.id };
}

const constantName = (id: number) => CONSTANTS[id] ?? "";

/** Truthiness (§2.2): non-zero numbers (NaN too), non-empty strings and arrays, constants. */
export function isTruthy(value: Value): boolean {
  switch (value.type) {
    case "integer":
      return value.value !== 0n;
    case "float":
      return value.value !== 0;
    case "string":
      return value.value !== "";
    case "array":
      return value.items.length > 0;
    case "constant":
      return true;
  }
}

/** Rust `Variable::is_empty`: true only for the empty string. */
export const isEmptyString = (value: Value) => value.type === "string" && value.value === "";

/** parse_number (E l.469-485): i64, then f64, else 0; an array gives 1 when empty. */
export function parseNumber(value: Value): Value {
  switch (value.type) {
    case "integer":
    case "float":
      return value;
    case "string": {
      if (value.value === "") return integer(0n);
      const whole = parseI64(value.value);
      if (whole !== undefined) return integer(whole);
      const real = parseF64(value.value);
      return real === undefined ? integer(0n) : float(real);
    }
    case "array":
      return integer(value.items.length === 0 ? 1n : 0n);
    case "constant":
      return integer(0n);
  }
}

/** Rust Display (used by `+`): arrays joined by "\n", constants by name, floats Rust-style. */
export function display(value: Value): string {
  switch (value.type) {
    case "string":
      return value.value;
    case "integer":
      return value.value.toString();
    case "float":
      return displayFloat(value.value);
    case "array":
      return value.items.map(display).join("\n");
    case "constant":
      return constantName(value.id);
  }
}

/**
 * Variable::to_string, the text a function argument is read as: arrays joined by "\r\n"
 * (nested arrays skipped), numbers in decimal, constants by name (§4).
 */
export function toText(value: Value): string {
  if (value.type !== "array") return display(value);
  let result = "";
  for (const item of value.items) {
    if (result !== "") result += "\r\n";
    if (item.type !== "array") result += display(item);
  }
  return result;
}

const isNumber = (value: Value): value is Value & { type: "integer" | "float" } =>
  value.type === "integer" || value.type === "float";

const asFloat = (value: Value & { type: "integer" | "float" }) =>
  value.type === "integer" ? Number(value.value) : value.value;

/** PartialEq (E l.634-649): numbers across types, strings byte-wise, no constant is equal. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a.type === "integer" && b.type === "integer") return a.value === b.value;
  if (isNumber(a) && isNumber(b)) return asFloat(a) === asFloat(b);
  if (a.type === "string" && b.type === "string") return a.value === b.value;
  if (a.type === "string" && isNumber(b)) return valuesEqual(parseNumber(a), b);
  if (isNumber(a) && b.type === "string") return valuesEqual(a, parseNumber(b));
  if (a.type === "array" && b.type === "array")
    return (
      a.items.length === b.items.length && a.items.every((item, i) => valuesEqualAt(item, b, i))
    );
  return false;
}

function valuesEqualAt(item: Value, other: Value & { type: "array" }, index: number): boolean {
  const peer = other.items[index];
  return peer !== undefined && valuesEqual(item, peer);
}

/** PartialOrd (E l.651-676): -1, 0, 1, or undefined when NaN is involved. */
export function compareValues(a: Value, b: Value): -1 | 0 | 1 | undefined {
  const sign = (x: number | bigint): -1 | 0 | 1 => (x < 0 ? -1 : x > 0 ? 1 : 0);
  if (a.type === "integer" && b.type === "integer") return sign(a.value - b.value);
  if (isNumber(a) && isNumber(b)) {
    const [x, y] = [asFloat(a), asFloat(b)];
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.type === "string" && b.type === "string") return sign(compareUtf8(a.value, b.value));
  if (a.type === "string" && isNumber(b)) return compareValues(parseNumber(a), b);
  if (isNumber(a) && b.type === "string") return compareValues(a, parseNumber(b));
  if (a.type === "array" && b.type === "array") {
    const shared = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < shared; i++) {
      const [x, y] = [a.items[i], b.items[i]];
      const order = x === undefined || y === undefined ? 0 : compareValues(x, y);
      if (order !== 0) return order;
    }
    return sign(a.items.length - b.items.length);
  }
  if (a.type === "array" || a.type === "string") return 1;
  if (a.type === "constant" && b.type === "constant") return sign(a.id - b.id);
  return -1;
}

/** Rust `as usize` of an index value (to_usize); negative integers wrap to huge values. */
export function toIndex(value: Value): bigint | undefined {
  switch (value.type) {
    case "integer":
      return BigInt.asUintN(64, value.value);
    case "float":
      return Number.isNaN(value.value) || value.value <= 0
        ? 0n
        : value.value >= 2 ** 64
          ? 2n ** 64n - 1n
          : BigInt(Math.trunc(value.value));
    case "string":
      return /^\+?[0-9]+$/.test(value.value) && BigInt(value.value) < 2n ** 64n
        ? BigInt(value.value)
        : undefined;
    default:
      return undefined;
  }
}

/** Rust to_integer: integers, floats `as i64` (saturating), strings that parse as i64. */
export function toInteger(value: Value): bigint | undefined {
  if (value.type === "integer") return value.value;
  if (value.type === "float")
    return Number.isNaN(value.value)
      ? 0n
      : saturateI64(BigInt(Math.trunc(clampFloat(value.value))));
  if (value.type === "string" && value.value !== "") return parseI64(value.value);
  return undefined;
}

const clampFloat = (x: number) => Math.max(-(2 ** 64), Math.min(2 ** 64, x));

/** into_array: an array's items, a non-empty scalar as one item, '' as none. */
export function intoArray(value: Value): readonly Value[] {
  if (value.type === "array") return value.items;
  return isEmptyString(value) ? [] : [value];
}

function add(a: Value, b: Value): Value {
  if (a.type === "integer" && b.type === "integer") return integer(saturateI64(a.value + b.value));
  if (isNumber(a) && isNumber(b)) return float(asFloat(a) + asFloat(b));
  if (a.type === "array" && b.type === "array") return array([...a.items, ...b.items]);
  if (a.type === "array") return array([...a.items, b]);
  if (b.type === "array") return array([a, ...b.items]);
  // An empty string gives back the other operand unchanged: '' + 5 is the integer 5 (§2.4).
  if (a.type === "string") return a.value === "" ? b : text(a.value + display(b));
  if (b.type === "string") return b.value === "" ? a : text(display(a) + b.value);
  return b.type === "constant" ? a : b;
}

function arithmetic(operator: "subtract" | "multiply" | "divide", a: Value, b: Value): Value {
  if (operator === "subtract" && (a.type === "array" || b.type === "array")) {
    const [list, item] = a.type === "array" ? [a, b] : [b as Value & { type: "array" }, a];
    return array(list.items.filter((entry) => !valuesEqual(entry, item)));
  }
  if (!isNumber(a) || !isNumber(b)) return arithmetic(operator, parseNumber(a), parseNumber(b));
  if (operator === "divide") {
    const divisor = asFloat(b);
    return float(divisor === 0 ? 0 : asFloat(a) / divisor);
  }
  if (a.type === "integer" && b.type === "integer")
    return integer(saturateI64(operator === "subtract" ? a.value - b.value : a.value * b.value));
  return float(operator === "subtract" ? asFloat(a) - asFloat(b) : asFloat(a) * asFloat(b));
}

/** Applies a binary operator to (left, right) exactly as Variable::op_* do (§2.3-§2.5). */
export function applyBinary(operator: BinaryOperator, a: Value, b: Value): Value {
  switch (operator) {
    case "add":
      return add(a, b);
    case "subtract":
    case "multiply":
    case "divide":
      return arithmetic(operator, a, b);
    case "and":
      return boolean(isTruthy(a) && isTruthy(b));
    case "or":
      return boolean(isTruthy(a) || isTruthy(b));
    case "xor":
      return boolean(isTruthy(a) !== isTruthy(b));
    case "eq":
      return boolean(valuesEqual(a, b));
    case "ne":
      return boolean(!valuesEqual(a, b));
  }
  const order = compareValues(a, b);
  if (order === undefined) return boolean(false);
  if (operator === "lt") return boolean(order < 0);
  if (operator === "le") return boolean(order <= 0);
  if (operator === "gt") return boolean(order > 0);
  return boolean(order >= 0);
}

/** `!` gives 0/1; unary `-` negates (i64::MIN stays itself) and parses non-numbers first. */
export function applyUnary(operator: UnaryOperator, value: Value): Value {
  if (operator === "not") return boolean(!isTruthy(value));
  if (value.type === "integer") return integer(wrapI64(-value.value));
  if (value.type === "float") return float(-value.value);
  return applyUnary("minus", parseNumber(value));
}
