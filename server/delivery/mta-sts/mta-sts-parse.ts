import { domainToASCII } from "node:url";
import type { MxPattern, Policy } from "../../../src/stalwart/delivery/facts";

// MTA-STS parsing exactly as Stalwart does it, quirks included (shared delivery reference §1.2
// step 2.5 and §4.2). npm `mailauth` differs on every point that matters here (§4.1), so this
// is written by hand.

/**
 * The `id` of a `_mta-sts` TXT record, or null when it does not parse. mail-auth's rules:
 * `;`-separated `key=value`, `v=STSv1` first, keys and `STSv1` case-insensitive, whitespace
 * ignored, `id` required (mail-auth `mta_sts/parse.rs` l.26-56).
 */
export function parseStsRecord(text: string): string | null {
  const tags = text
    .split(";")
    .map((tag) => tag.trim())
    .filter(Boolean)
    .map((tag) => {
      const equals = tag.indexOf("=");
      if (equals === -1) return null;
      return [tag.slice(0, equals).trim().toLowerCase(), tag.slice(equals + 1).trim()] as const;
    });
  const first = tags[0];
  if (first?.[0] !== "v" || first[1].toLowerCase() !== "stsv1") return null;
  const id = tags.find((tag) => tag?.[0] === "id")?.[1];
  return id ? id : null;
}

/** Rust's `{:?}` of a string, as Stalwart's parse errors quote values. */
export function rustDebug(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += char;
  }
  return `${out}"`;
}

/** A policy `mx` value as an A-label pattern, lower case (v0.16.18 fixed U-label patterns). */
function pattern(value: string): MxPattern | null {
  const isWildcard = value.startsWith("*.");
  const name = isWildcard ? value.slice(2) : value;
  if (!name) return null;
  const ascii = (domainToASCII(name) || name).toLowerCase();
  return { type: isWildcard ? "startsWith" : "equals", value: ascii };
}

/**
 * A policy body parsed as Stalwart does (§1.2 step 2.5): lines split on `\n`, key and value
 * trimmed (so CRLF works), a line without `:` stops parsing, unknown keys ignored; `version`
 * must be STSv1 (any case); `mode` exactly enforce/testing/none (default none); `max_age` a
 * number else 86400 (seconds); at least one `mx` in every mode. Returns the policy with `id`,
 * or the error text after "Failed to parse policy: " (`Unsupported mode "x".`, ...).
 */
export function parseStsPolicy(body: string, id: string): Policy | { error: string } {
  let mode: Policy["mode"] = "none";
  let maxAge = 86_400;
  const mx: MxPattern[] = [];
  for (const line of body.split("\n")) {
    const colon = line.indexOf(":");
    if (colon === -1) break;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === "version" && value.toLowerCase() !== "stsv1")
      return { error: `Unsupported version ${rustDebug(value)}.` };
    if (key === "mode") {
      if (value !== "enforce" && value !== "testing" && value !== "none")
        return { error: `Unsupported mode ${rustDebug(value)}.` };
      mode = value;
    }
    if (key === "max_age") maxAge = /^\d+$/.test(value) ? Number(value) : 86_400;
    if (key === "mx") {
      const parsed = pattern(value);
      if (parsed) mx.push(parsed);
    }
  }
  if (mx.length === 0) return { error: "No 'mx' entries found." };
  return { id, mode, mx, maxAge };
}

/**
 * Rust's `Utf8Error` Display for `bytes`, or null when they are valid UTF-8:
 * "invalid utf-8 sequence of N bytes from index I" / "incomplete utf-8 byte sequence from
 * index I" (core::str::Utf8Error; Stalwart's lookup.rs maps it to "Failed to parse policy").
 */
export function utf8Error(bytes: Uint8Array): string | null {
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i] ?? 0;
    if (first < 0x80) {
      i++;
      continue;
    }
    const width =
      first >= 0xc2 && first <= 0xdf
        ? 2
        : first >= 0xe0 && first <= 0xef
          ? 3
          : first >= 0xf0 && first <= 0xf4
            ? 4
            : 0;
    if (width === 0) return `invalid utf-8 sequence of 1 bytes from index ${i}`;
    // The second byte's range depends on the first (no overlongs, surrogates, > U+10FFFF).
    const [low, high] =
      first === 0xe0
        ? [0xa0, 0xbf]
        : first === 0xed
          ? [0x80, 0x9f]
          : first === 0xf0
            ? [0x90, 0xbf]
            : first === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    for (let k = 1; k < width; k++) {
      if (i + k >= bytes.length) return `incomplete utf-8 byte sequence from index ${i}`;
      const byte = bytes[i + k] ?? 0;
      const isOk = k === 1 ? byte >= low && byte <= high : byte >= 0x80 && byte <= 0xbf;
      if (!isOk) return `invalid utf-8 sequence of ${k} bytes from index ${i}`;
    }
    i += width;
  }
  return null;
}
