// Rust's own ways of reading and printing text and numbers, which the server's messages and
// values follow: `{:?}` quoting, `str::parse::<i64 | f64 | u32>`, f64 Display, i64 limits
// (shared expressions reference §2.3, §2.4, §5.2 "Formatting").

/** The range of Rust i64, the language's integer type. */
export const I64_MIN = -(2n ** 63n);
/** The range of Rust i64, the language's integer type. */
export const I64_MAX = 2n ** 63n - 1n;

/** Clamps a bigint into i64, as Rust's saturating_add/sub/mul do. */
export function saturateI64(value: bigint): bigint {
  if (value > I64_MAX) return I64_MAX;
  if (value < I64_MIN) return I64_MIN;
  return value;
}

/** Wraps a bigint into i64 two's complement, as Rust's `as i64` and release-mode overflow do. */
export function wrapI64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

// Rust's is_printable (core/unicode/printable.py) treats these categories, except the plain
// space, as non-printable; Debug also escapes grapheme extenders.
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\p{Grapheme_Extend}]/u;

function escapeDebug(codePoint: number, isInString: boolean): string {
  switch (codePoint) {
    case 0:
      return "\\0";
    case 9:
      return "\\t";
    case 10:
      return "\\n";
    case 13:
      return "\\r";
    case 0x5c:
      return "\\\\";
    case 0x27:
      return isInString ? "'" : "\\'";
    case 0x22:
      return isInString ? '\\"' : '"';
    case 0x20:
      return " ";
  }
  const char = String.fromCodePoint(codePoint);
  return NON_PRINTABLE.test(char) ? `\\u{${codePoint.toString(16)}}` : char;
}

/**
 * Rust `{:?}` of a char, e.g. 9 → `'\t'`, 0x23 → `'#'`. The tokenizer passes single bytes
 * (`char::from(u8)`), so a UTF-8 lead byte 0xC3 prints as `'Ã'` (reference §1.2).
 */
export function debugChar(codePoint: number): string {
  return `'${escapeDebug(codePoint, false)}'`;
}

/** Rust `{:?}` of a str: double-quoted with `\"`, `\\`, `\n`… and `\u{…}` escapes. */
export function debugString(text: string): string {
  let out = '"';
  for (const char of text) out += escapeDebug(char.codePointAt(0) ?? 0, true);
  return `${out}"`;
}

/** Rust `str::parse::<i64>()`: optional sign, ASCII digits, in range; else undefined. */
export function parseI64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < I64_MIN || value > I64_MAX ? undefined : value;
}

/** Rust `str::parse::<u32>()` (a leading `+` is accepted); else undefined. */
export function parseU32(text: string): number | undefined {
  if (!/^\+?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value > 0xffff_ffffn ? undefined : Number(value);
}

const RUST_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const RUST_FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Rust `str::parse::<f64>()`: `1`, `1.`, `.5`, `1e5`, `inf`, `NaN` (any case), optional sign;
 * no spaces, hex or underscores. Undefined when Rust would refuse the text.
 */
export function parseF64(text: string): number | undefined {
  const special = RUST_FLOAT_SPECIAL.exec(text);
  if (special) {
    if (special[2]?.toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  return RUST_FLOAT.test(text) ? Number(text) : undefined;
}

/**
 * Rust `Display` of an f64: shortest round-trip digits, never an exponent (`1e21` prints 22
 * digits), integral values without `.0`, `NaN`, `inf`, `-inf`, `-0`.
 */
export function displayFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const sign = value < 0 ? "-" : "";
  const shortest = Math.abs(value).toString();
  const exponent = /^([0-9]+)(?:\.([0-9]+))?e([+-][0-9]+)$/.exec(shortest);
  if (!exponent) return sign + shortest;
  const whole = exponent[1] ?? "";
  const digits = whole + (exponent[2] ?? "");
  const point = whole.length + Number(exponent[3]);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Compares two strings by code point, which is the order of their UTF-8 bytes (Rust `str`). */
export function compareUtf8(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const difference = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
}

const encoder = new TextEncoder();

/** The length of `text` in UTF-8 bytes (Rust `str::len`). */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

// Rust's char::is_whitespace is the Unicode White_Space property; JS trim() differs (it strips
// U+FEFF and keeps U+0085), so trims are written out.
const LEADING_SPACE = /^\p{White_Space}+/u;
const TRAILING_SPACE = /\p{White_Space}+$/u;

/** Rust `str::trim_start`. */
export function trimStart(text: string): string {
  return text.replace(LEADING_SPACE, "");
}

/** Rust `str::trim_end`. */
export function trimEnd(text: string): string {
  return text.replace(TRAILING_SPACE, "");
}

/** True when every character of `text` is ASCII. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** ASCII-only lower-casing (Rust `to_ascii_lowercase`). */
export function asciiLowercase(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

/** Rust u8::is_ascii_whitespace: space, \t, \n, \x0C, \r (not \x0B). */
export const isAsciiWhitespace = (c: number) =>
  c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

const DURATION_UNITS: ReadonlyMap<string, bigint> = new Map([
  ["d", 86_400_000n],
  ["h", 3_600_000n],
  ["m", 60_000n],
  ["s", 1_000n],
  ["ms", 1n],
  ["", 1n],
]);

/**
 * The registry's Duration::from_str on a word, as integer milliseconds: every digit anywhere
 * in the word is the number, the other characters (lower-cased) the unit, so `1h`, `h1` and
 * `1H` are all 3600000 and `1.5h` is no duration. Overflow wraps as in a release build.
 */
export function parseDurationWord(word: string): bigint | undefined {
  let digits = "";
  let unit = "";
  for (const char of word) {
    if (char >= "0" && char <= "9") digits += char;
    else if (!isAsciiWhitespace(char.charCodeAt(0))) unit += char.toLowerCase();
  }
  const factor = DURATION_UNITS.get(unit);
  if (factor === undefined || digits === "" || BigInt(digits) >= 2n ** 64n) return undefined;
  return wrapI64(BigInt.asUintN(64, BigInt(digits) * factor));
}

/** Converts a byte offset from an error or token into a UTF-16 index of `text`, for the UI. */
export function byteOffsetToIndex(text: string, offset: number): number {
  let bytes = 0;
  let index = 0;
  for (const char of text) {
    if (bytes >= offset) break;
    const point = char.codePointAt(0) ?? 0;
    bytes += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
    index += char.length;
  }
  return index;
}
