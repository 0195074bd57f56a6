import { isJsonObject } from "./values";

// The MtaOutboundStrategy singleton (shared wire reference §10): four expressions, of which
// `tls` picks a TLS strategy by name for each delivery.

export const OBJECT = "MtaOutboundStrategy";
export const SINGLETON_ID = "singleton";

/** An expression: `match` is an object keyed by position, not an array. */
export interface Expression {
  match: Record<string, { if: string; then: string }>;
  else: string;
}

export const PROPERTIES = ["connection", "route", "schedule", "tls"] as const;
export type Property = (typeof PROPERTIES)[number];

/** The singleton's properties, each an expression. */
export type OutboundStrategy = Record<Property, Expression>;

export function isProperty(name: string): name is Property {
  return (PROPERTIES as readonly string[]).includes(name);
}

/** What a fresh Stalwart holds (shared wire reference §10). */
export const DEFAULT_OUTBOUND_STRATEGY: OutboundStrategy = {
  connection: { match: {}, else: "'default'" },
  route: {
    match: { "0": { if: "is_local_domain('*', rcpt_domain)", then: "'local'" } },
    else: "'mx'",
  },
  schedule: {
    match: {
      "0": { if: "is_local_domain('*', rcpt_domain)", then: "'local'" },
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

/**
 * Whether `text` reads as an expression: not empty, every quoted string closed (single or
 * double quotes, backslash escapes), every parenthesis and bracket matched. Stalwart parses
 * the whole grammar; this catches the malformed ones that cannot be expressions at all.
 */
export function isWellFormed(text: string): boolean {
  if (text.trim() === "") return false;
  const closing: string[] = [];
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (quote) {
      if (char === "\\") i += 1;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === "(") closing.push(")");
    else if (char === "[") closing.push("]");
    else if (char === ")" || char === "]") {
      if (closing.pop() !== char) return false;
    }
  }
  return quote === null && closing.length === 0;
}

const isExpressionText = (value: unknown): value is string =>
  typeof value === "string" && isWellFormed(value);

/**
 * `value` as an expression, or null when it is malformed: an object with an `else` value and
 * an optional `match` keyed by position ("0", "1", …), each entry with an `if` condition and
 * a `then` value, and nothing else (reference §10).
 */
export function parseExpression(value: unknown): Expression | null {
  if (!isJsonObject(value)) return null;
  const keys = Object.keys(value);
  if (keys.some((key) => key !== "match" && key !== "else")) return null;
  if (!isExpressionText(value.else)) return null;
  const match: Expression["match"] = {};
  if (value.match !== undefined) {
    if (!isJsonObject(value.match)) return null;
    const positions = Object.keys(value.match);
    if (positions.some((position, index) => position !== String(index))) return null;
    for (const position of positions) {
      const entry = value.match[position];
      if (!isJsonObject(entry)) return null;
      if (Object.keys(entry).some((key) => key !== "if" && key !== "then")) return null;
      if (!isExpressionText(entry.if) || !isExpressionText(entry.then)) return null;
      match[position] = { if: entry.if, then: entry.then };
    }
  }
  return { match, else: value.else };
}
