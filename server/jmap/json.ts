// The request body as Stalwart reads it, not as JSON.parse does: a number written with a
// fraction or an exponent (`300000.0`, `3e5`) stays recognisable, since Stalwart refuses it
// where an integer is due although its value is whole (shared wire reference §5); objects
// have no prototype, so `__proto__` or `constructor` are ordinary keys (hostile.test.ts); and
// nesting is bounded, so a hostile request cannot exhaust the stack further on.

import { isJsonObject, JsonFloat, type JsonValue, keysInTextOrder, TEXT_ORDER } from "../values";

export { isJsonObject, JsonFloat, type JsonValue, keysInTextOrder };

/** A key JavaScript lists before the others: an array index ("0" … "4294967294"). */
const isArrayIndex = (key: string) =>
  /^(?:0|[1-9][0-9]{0,9})$/.test(key) && Number(key) < 4_294_967_295;

/** The text is not JSON, or nests deeper than allowed. */
export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
}

/** Deeper than any request a client sends: filters nest a few levels, nothing more. */
export const MAX_DEPTH = 128;

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?(?:[eE][+-]?\d+)?/y;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/**
 * Parses `text` as one JSON value (RFC 8259), strictly: no trailing data, no control
 * characters in strings, duplicate keys keep the last value (as JSON.parse does).
 * @throws JsonSyntaxError
 */
export function parseJson(text: string, maxDepth = MAX_DEPTH): JsonValue {
  let at = 0;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${at}.`);
  };

  const skipSpace = () => {
    while (at < text.length) {
      const char = text.charCodeAt(at);
      if (char !== 0x20 && char !== 0x09 && char !== 0x0a && char !== 0x0d) return;
      at += 1;
    }
  };

  const parseString = (): string => {
    at += 1; // the opening quote
    let result = "";
    let start = at;
    while (at < text.length) {
      const char = text.charCodeAt(at);
      if (char === 0x22) {
        result += text.slice(start, at);
        at += 1;
        // \ud800 alone is no character: serde refuses it, and so does Stalwart.
        if (LONE_SURROGATE.test(result)) fail("Lone surrogate in a string");
        return result;
      }
      if (char < 0x20) fail("Control character in a string");
      if (char === 0x5c) {
        result += text.slice(start, at);
        const escaped = text[at + 1] ?? "";
        if (escaped === "u") {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Bad \\u escape");
          result += String.fromCharCode(Number.parseInt(hex, 16));
          at += 6;
        } else {
          const decoded = ESCAPES[escaped];
          if (decoded === undefined) fail("Bad escape");
          result += decoded;
          at += 2;
        }
        start = at;
        continue;
      }
      at += 1;
    }
    return fail("Unterminated string");
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > maxDepth) fail(`Nesting deeper than ${maxDepth} levels`);
    skipSpace();
    const char = text[at];
    if (char === "{") {
      at += 1;
      const object: { [key: string]: JsonValue } = Object.create(null);
      skipSpace();
      if (text[at] === "}") {
        at += 1;
        return object;
      }
      const keys = new Set<string>();
      let mayBeReordered = false;
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail("Expected a key");
        const key = parseString();
        if (keys.delete(key) || isArrayIndex(key)) mayBeReordered = true;
        keys.add(key);
        skipSpace();
        if (text[at] !== ":") fail("Expected ':'");
        at += 1;
        object[key] = parseValue(depth + 1);
        skipSpace();
        if (text[at] === ",") {
          at += 1;
          continue;
        }
        if (text[at] === "}") {
          at += 1;
          if (mayBeReordered) {
            const order = [...keys];
            const own = Object.keys(object);
            if (order.some((key, i) => key !== own[i]))
              Object.defineProperty(object, TEXT_ORDER, { value: order });
          }
          return object;
        }
        fail("Expected ',' or '}'");
      }
    }
    if (char === "[") {
      at += 1;
      const array: JsonValue[] = [];
      skipSpace();
      if (text[at] === "]") {
        at += 1;
        return array;
      }
      for (;;) {
        array.push(parseValue(depth + 1));
        skipSpace();
        if (text[at] === ",") {
          at += 1;
          continue;
        }
        if (text[at] === "]") {
          at += 1;
          return array;
        }
        fail("Expected ',' or ']'");
      }
    }
    if (char === '"') return parseString();
    if (text.startsWith("true", at)) {
      at += 4;
      return true;
    }
    if (text.startsWith("false", at)) {
      at += 5;
      return false;
    }
    if (text.startsWith("null", at)) {
      at += 4;
      return null;
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) return fail("Unexpected character");
    at = NUMBER.lastIndex;
    const written = match[0];
    const value = Number(written);
    // 1e400 is out of any number's range: refused, as serde refuses it.
    if (!Number.isFinite(value)) fail("Number out of range");
    return /[.eE]/.test(written) ? new JsonFloat(value, written) : value;
  };

  const value = parseValue(0);
  skipSpace();
  if (at !== text.length) fail("Unexpected data after the JSON value");
  return value;
}

// ignoreBOM keeps a leading byte-order mark as text, where JSON does not allow it.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The body's bytes as UTF-8 text.
 * @throws JsonSyntaxError when they are not UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new JsonSyntaxError("The request is not valid UTF-8.");
  }
}
