// The built-in (pure) functions of the expression language, ported from FT/FX/FA/FE
// (crates/common/src/expr/functions/{text,misc,array,email}.rs; shared expressions reference
// §4.1). They never fail: bad input gives '', 0 or false. Functions that need server state or
// are not reproduced here (hash, the IP-mask helpers) are absent: the evaluator then reports
// "cannot evaluate here" for them.

import { asciiLowercase, compareUtf8, trimEnd, trimStart, utf8Length } from "./rust-text";
import {
  array,
  boolean,
  compareValues,
  EMPTY,
  integer,
  intoArray,
  isEmptyString,
  isTruthy,
  text,
  toIndex,
  toInteger,
  toText,
  type Value,
  valuesEqual,
} from "./value";

type PureFunction = (args: readonly Value[]) => Value;

const count = (n: number) => integer(BigInt(n));

// Variable::transform: strings directly, arrays element by element, anything else as text.
function transform(value: Value, f: (s: string) => Value): Value {
  if (value.type === "string") return f(value.value);
  if (value.type === "array") return array(value.items.map((item) => f(toText(item))));
  return f(toText(value));
}

const ALPHABETIC = /\p{Alphabetic}/u;
const UPPERCASE = /\p{Uppercase}/u;
const LOWERCASE = /\p{Lowercase}/u;
const WHITE_SPACE = /\p{White_Space}/u;
const ALPHANUMERIC = /^[\p{Alphabetic}\p{N}]+$/u;

const chars = (s: string) => Array.from(s);
const contains = (list: readonly Value[], item: Value) => list.some((x) => valuesEqual(x, item));

// Rust str::split / rsplit with a &str separator; "" splits around every char.
function split(s: string, separator: string): string[] {
  return separator === "" ? ["", ...chars(s), ""] : s.split(separator);
}

function rsplit(s: string, separator: string): string[] {
  if (separator === "") return ["", ...chars(s).reverse(), ""];
  const parts: string[] = [];
  let end = s.length;
  for (;;) {
    const at = end < separator.length ? -1 : s.lastIndexOf(separator, end - separator.length);
    if (at < 0) break;
    parts.push(s.slice(at + separator.length, end));
    end = at;
  }
  parts.push(s.slice(0, end));
  return parts;
}

function splitOnce(s: string, separator: string, fromEnd: boolean): Value {
  const at = fromEnd ? s.lastIndexOf(separator) : s.indexOf(separator);
  if (at < 0) return EMPTY;
  return array([text(s.slice(0, at)), text(s.slice(at + separator.length))]);
}

// Rust str::lines: split on \n, drop one trailing \r per line, no final empty line.
function lines(s: string): string[] {
  if (s === "") return [];
  const parts = s.split("\n");
  if (parts.at(-1) === "") parts.pop();
  return parts.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

// email.rs fn_is_email: Stalwart's own byte-wise address check.
function isEmail(value: string): boolean {
  let [last, inQuote, atCount, dotCount, localLength, length] = [0, false, 0, 0, 0, 0];
  for (const ch of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(ch);
    if (/[0-9a-zA-Z!#$%&'*+\-/=?^_`{|}~]/.test(c) || ch >= 0x7f) length += 1;
    else if (c === "." && !inQuote) {
      if (last === 0x2e || last === 0x40 || length === 0) return false;
      length += 1;
      if (atCount === 1) dotCount += 1;
    } else if (c === "@" && !inQuote) {
      atCount += 1;
      localLength = length;
      length = 0;
    } else if (">:, ".includes(c) && inQuote) length += 1;
    else if (c === '"' && (!inQuote || last !== 0x5c)) inQuote = !inQuote;
    else if (!(c === "\\" && inQuote && last !== 0x5c) && !inQuote) return false;
    last = ch;
  }
  return atCount === 1 && dotCount > 0 && localLength > 0 && length > 0;
}

// Rust IpAddr::from_str: dotted quads without leading zeros, or an IPv6 text form.
function ipVersion(value: string): 4 | 6 | undefined {
  const octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  const v4 = `${octet}(?:\\.${octet}){3}`;
  if (new RegExp(`^${v4}$`).test(value)) return 4;
  const groups = value.split("::");
  if (groups.length > 2) return undefined;
  const parts = groups.map((g) => (g === "" ? [] : g.split(":")));
  const all = parts.flat();
  const tail = all.at(-1) ?? "";
  const hasV4 = new RegExp(`^${v4}$`).test(tail);
  const hex = hasV4 ? all.slice(0, -1) : all;
  if (!hex.every((h) => /^[0-9a-fA-F]{1,4}$/.test(h))) return undefined;
  const width = hex.length + (hasV4 ? 2 : 0);
  return (groups.length === 2 ? width < 8 : width === 8) ? 6 : undefined;
}

function sort(value: Value, ascending: Value): Value {
  const items = [...intoArray(value)];
  const allStrings = items.every((item) => item.type === "string");
  const order = (a: Value, b: Value) =>
    allStrings ? compareUtf8(toText(a), toText(b)) : (compareValues(a, b) ?? 1);
  items.sort(isTruthy(ascending) ? order : (a, b) => order(b, a));
  return array(items);
}

const FUNCTIONS: ReadonlyMap<string, PureFunction> = new Map<string, PureFunction>([
  [
    "count",
    ([v = EMPTY]) => (v.type === "array" ? count(v.items.length) : boolean(!isEmptyString(v))),
  ],
  ["sort", ([v = EMPTY, ascending = EMPTY]) => sort(v, ascending)],
  [
    "dedup",
    ([v = EMPTY]) => array(intoArray(v).filter((x, i, all) => !contains(all.slice(0, i), x))),
  ],
  [
    "winnow",
    ([v = EMPTY]) => (v.type === "array" ? array(v.items.filter((x) => !isEmptyString(x))) : v),
  ],
  [
    "is_intersect",
    ([a = EMPTY, b = EMPTY]) => {
      if (a.type === "array" && b.type === "array")
        return boolean(a.items.some((x) => contains(b.items, x)));
      if (a.type === "array") return boolean(contains(a.items, b));
      return boolean(b.type === "array" && contains(b.items, a));
    },
  ],
  ["is_email", ([v = EMPTY]) => boolean(isEmail(toText(v)))],
  [
    "email_part",
    ([v = EMPTY, part = EMPTY]) =>
      transform(v, (s) => {
        const at = s.lastIndexOf("@");
        const which = toText(part);
        if (at < 0 || (which !== "local" && which !== "domain")) return EMPTY;
        return text(trimEnd(trimStart(which === "local" ? s.slice(0, at) : s.slice(at + 1))));
      }),
  ],
  [
    "is_empty",
    ([v = EMPTY]) =>
      boolean(v.type === "string" ? v.value === "" : v.type === "array" && v.items.length === 0),
  ],
  ["is_number", ([v = EMPTY]) => boolean(v.type === "integer" || v.type === "float")],
  ["is_ip_addr", ([v = EMPTY]) => boolean(ipVersion(toText(v)) !== undefined)],
  ["is_ipv4_addr", ([v = EMPTY]) => boolean(ipVersion(toText(v)) === 4)],
  ["is_ipv6_addr", ([v = EMPTY]) => boolean(ipVersion(toText(v)) === 6)],
  ["trim", ([v = EMPTY]) => transform(v, (s) => text(trimEnd(trimStart(s))))],
  ["trim_end", ([v = EMPTY]) => transform(v, (s) => text(trimEnd(s)))],
  ["trim_start", ([v = EMPTY]) => transform(v, (s) => text(trimStart(s)))],
  ["len", ([v = EMPTY]) => count(v.type === "array" ? v.items.length : utf8Length(toText(v)))],
  ["to_lowercase", ([v = EMPTY]) => transform(v, (s) => text(s.toLowerCase()))],
  ["to_uppercase", ([v = EMPTY]) => transform(v, (s) => text(s.toUpperCase()))],
  [
    "is_uppercase",
    ([v = EMPTY]) =>
      transform(v, (s) => boolean(chars(s).every((c) => !ALPHABETIC.test(c) || UPPERCASE.test(c)))),
  ],
  [
    "is_lowercase",
    ([v = EMPTY]) =>
      transform(v, (s) => boolean(chars(s).every((c) => !ALPHABETIC.test(c) || LOWERCASE.test(c)))),
  ],
  ["has_digits", ([v = EMPTY]) => transform(v, (s) => boolean(/[0-9]/.test(s)))],
  [
    "count_spaces",
    ([v = EMPTY]) => count(chars(toText(v)).filter((c) => WHITE_SPACE.test(c)).length),
  ],
  [
    "count_uppercase",
    ([v = EMPTY]) =>
      count(chars(toText(v)).filter((c) => ALPHABETIC.test(c) && UPPERCASE.test(c)).length),
  ],
  [
    "count_lowercase",
    ([v = EMPTY]) =>
      count(chars(toText(v)).filter((c) => ALPHABETIC.test(c) && LOWERCASE.test(c)).length),
  ],
  ["count_chars", ([v = EMPTY]) => count(chars(toText(v)).length)],
  [
    "contains",
    ([h = EMPTY, n = EMPTY]) =>
      boolean(h.type === "array" ? contains(h.items, n) : toText(h).includes(toText(n))),
  ],
  [
    "contains_ignore_case",
    ([h = EMPTY, n = EMPTY]) => {
      const needle = toText(n);
      if (h.type === "string") return boolean(h.value.toLowerCase().includes(needle.toLowerCase()));
      if (h.type === "array")
        return boolean(
          h.items.some(
            (x) => x.type === "string" && asciiLowercase(x.value) === asciiLowercase(needle),
          ),
        );
      return boolean(toText(h).includes(needle));
    },
  ],
  [
    "eq_ignore_case",
    ([a = EMPTY, b = EMPTY]) => boolean(asciiLowercase(toText(a)) === asciiLowercase(toText(b))),
  ],
  ["starts_with", ([a = EMPTY, b = EMPTY]) => boolean(toText(a).startsWith(toText(b)))],
  ["ends_with", ([a = EMPTY, b = EMPTY]) => boolean(toText(a).endsWith(toText(b)))],
  ["lines", ([v = EMPTY]) => (v.type === "string" ? array(lines(v.value).map(text)) : v)],
  [
    "substring",
    ([v = EMPTY, start = EMPTY, length = EMPTY]) => {
      const from = toIndex(start) ?? 0n;
      const take = toIndex(length) ?? 0n;
      const all = chars(toText(v));
      if (from >= BigInt(all.length)) return text("");
      const end = from + take > BigInt(all.length) ? all.length : Number(from + take);
      return text(all.slice(Number(from), end).join(""));
    },
  ],
  [
    "strip_prefix",
    ([v = EMPTY, p = EMPTY]) => {
      const prefix = toText(p);
      return transform(v, (s) => (s.startsWith(prefix) ? text(s.slice(prefix.length)) : EMPTY));
    },
  ],
  [
    "strip_suffix",
    ([v = EMPTY, p = EMPTY]) => {
      const suffix = toText(p);
      return transform(v, (s) =>
        s.endsWith(suffix) ? text(s.slice(0, s.length - suffix.length)) : EMPTY,
      );
    },
  ],
  ["split", ([v = EMPTY, sep = EMPTY]) => array(split(toText(v), toText(sep)).map(text))],
  ["rsplit", ([v = EMPTY, sep = EMPTY]) => array(rsplit(toText(v), toText(sep)).map(text))],
  ["split_once", ([v = EMPTY, sep = EMPTY]) => splitOnce(toText(v), toText(sep), false)],
  ["rsplit_once", ([v = EMPTY, sep = EMPTY]) => splitOnce(toText(v), toText(sep), true)],
  [
    "split_n",
    ([v = EMPTY, sep = EMPTY, n = EMPTY]) => {
      let rest = toText(v);
      const separator = toText(sep);
      const limit = BigInt.asUintN(64, toInteger(n) ?? 0n);
      if (separator === "") {
        const pieces = split(rest, "");
        const keep = limit + 1n < BigInt(pieces.length) ? Number(limit + 1n) : pieces.length;
        return array([...pieces.slice(0, keep - 1), pieces.slice(keep - 1).join("")].map(text));
      }
      const out: Value[] = [];
      for (let i = 0n; i < limit; i++) {
        const at = rest.indexOf(separator);
        if (at < 0) break;
        out.push(text(rest.slice(0, at)));
        rest = rest.slice(at + separator.length);
      }
      return array([...out, text(rest)]);
    },
  ],
  [
    "split_words",
    ([v = EMPTY]) =>
      array(
        toText(v)
          .split(/\p{White_Space}+/u)
          .filter((word) => word !== "" && ALPHANUMERIC.test(word))
          .map(text),
      ),
  ],
  ["if_then", ([c = EMPTY, a = EMPTY, b = EMPTY]) => (isTruthy(c) ? a : b)],
]);

/** The pure function `name` applied to its evaluated arguments, or undefined if not ported. */
export function callPureFunction(name: string, args: readonly Value[]): Value | undefined {
  return FUNCTIONS.get(name)?.(args);
}
