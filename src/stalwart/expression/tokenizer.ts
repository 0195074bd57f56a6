// A literal port of Stalwart's expression tokenizer (shared expressions reference §1.2-§1.6;
// T = crates/common/src/expr/tokenizer.rs at the reference's commit), quirks included: the
// input is bytes, `=` swallows the next byte, an unquoted `}` ends the input, TAB is invalid,
// strings keep their backslashes, `-` is unary only after `(`, `,` or a binary operator. Every
// error carries the server's exact text and the byte offset it is about. It keeps T's shape
// method for method (next, find_char, parse_string, parse_word) so the two read side by side,
// which is why it runs a little past 400 lines.

import { checkRustRegex, type RegexPlan } from "./rust-regex";
import {
  debugChar,
  debugString,
  isAsciiWhitespace,
  parseDurationWord,
  parseF64,
  parseI64,
  parseU32,
} from "./rust-text";
import {
  CONSTANTS,
  type ConstantName,
  constantId,
  type FunctionInfo,
  isKnownVariable,
  isTlsVariable,
  lookupFunction,
  SYSTEM_VARIABLES,
  type TlsVariable,
} from "./vocabulary";

export type BinaryOperator =
  | "add"
  | "subtract"
  | "multiply"
  | "divide"
  | "and"
  | "or"
  | "xor"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge";

export type UnaryOperator = "not" | "minus";

/** A constant in the text. Durations arrive as integer milliseconds (reference §1.3). */
export type Literal =
  | { kind: "string"; value: string }
  | { kind: "integer"; value: bigint }
  | { kind: "float"; value: number }
  | { kind: "constant"; name: ConstantName; id: number };

type TokenBody =
  | { type: "variable"; name: TlsVariable }
  | { type: "literal"; literal: Literal }
  | { type: "global"; name: string }
  | { type: "capture"; group: number }
  | { type: "function"; fn: FunctionInfo }
  | { type: "regex"; pattern: string; plan: RegexPlan }
  | { type: "system"; name: string }
  | { type: "metric"; name: string }
  | { type: "unary"; operator: UnaryOperator }
  | { type: "binary"; operator: BinaryOperator }
  | { type: "openParen" | "closeParen" | "openBracket" | "closeBracket" | "comma" };

/** A token and where it is: `start`/`end` are byte offsets into the UTF-8 text. */
export type Token = TokenBody & { start: number; end: number };

/** Accepted but surprising input the tokenizer went through (for warnings, §1.7). */
export type Quirk =
  | { kind: "equalsSwallowed"; position: number; swallowed: string }
  | { kind: "braceEnds"; position: number };

/** A message exactly as the server words it, and the byte offset it points at. */
export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "ExpressionSyntaxError";
  }
}

const byte = (char: string) => char.charCodeAt(0);
const SPACE = 0x20;
const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BACKSLASH = 0x5c;
const OPEN = 0x28;
const DOT = 0x2e;
const COLON = 0x3a;
const STAR = 0x2a;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const decoder = new TextDecoder();

function isWordByte(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 36 ||
    c === DOT
  );
}

/** Reads one expression text token by token, exactly as the server's Tokenizer::next does. */
export class Tokenizer {
  private readonly bytes: Uint8Array;
  private pos = 0;
  private wordStart = 0;
  private wordEnd = 0;
  private readonly openParens: number[] = [];
  private pending: Token | undefined;
  private hasNumber = false;
  private hasDot = false;
  private hasAlpha = false;
  private isStart = true;
  private isEof = false;
  readonly quirks: Quirk[] = [];

  constructor(text: string) {
    this.bytes = new TextEncoder().encode(text);
  }

  /** The next token, or undefined at the end. Throws ExpressionSyntaxError. */
  next(): Token | undefined {
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      return pending;
    }
    if (this.isEof) return undefined;
    for (let ch = this.nextByte(); ch !== undefined; ch = this.nextByte()) {
      if (isWordByte(ch)) {
        this.pushWord();
        this.scanWord(ch);
        continue;
      }
      if (ch === byte("}")) {
        this.isEof = true;
        if (this.pos < this.bytes.length)
          this.quirks.push({ kind: "braceEnds", position: this.pos - 1 });
        break;
      }
      // T l.79-90: `:` joins a word that has a dot, `*` joins a word ending in `.`. The arms
      // for `-` and `]` after a `[` in the word are dead (a word never holds `[`), so omitted.
      if (
        (ch === COLON && this.hasDot) ||
        (ch === STAR && this.bytes[this.wordEnd - 1] === DOT && this.wordEnd > this.wordStart)
      ) {
        this.pushWord();
        continue;
      }
      const at = this.pos - 1;
      let previous: Token | undefined;
      if (this.wordEnd > this.wordStart) {
        const word = this.word();
        if (ch === OPEN && (word === "matches" || word === "metric" || word === "system")) {
          previous = this.specialForm(word);
        } else {
          this.isStart = false;
          previous = this.parseWord();
        }
      }
      const token = this.operator(ch, at);
      if (token === undefined) {
        if (previous) return previous;
        continue;
      }
      this.isStart =
        token.type === "openParen" || token.type === "comma" || token.type === "binary";
      if (!previous) return token;
      this.pending = token;
      return previous;
    }
    const open = this.openParens.at(-1);
    if (open !== undefined) throw new ExpressionSyntaxError("Unmatched open parenthesis", open);
    return this.wordEnd > this.wordStart ? this.parseWord() : undefined;
  }

  private nextByte(): number | undefined {
    const ch = this.bytes[this.pos];
    if (ch !== undefined) this.pos += 1;
    return ch;
  }

  private word(): string {
    return decoder.decode(this.bytes.subarray(this.wordStart, this.wordEnd));
  }

  private pushWord(): void {
    if (this.wordStart === this.wordEnd) this.wordStart = this.pos - 1;
    this.wordEnd = this.pos;
  }

  private markWordClass(ch: number): boolean {
    if (ch === DOT) this.hasDot = true;
    else if (ch >= 48 && ch <= 57) this.hasNumber = true;
    else if (isWordByte(ch)) this.hasAlpha = true;
    else return false;
    return true;
  }

  private scanWord(first: number): void {
    this.markWordClass(first);
    for (
      let ch = this.bytes[this.pos];
      ch !== undefined && this.markWordClass(ch);
      ch = this.bytes[this.pos]
    )
      this.pos += 1;
    this.wordEnd = this.pos;
  }

  private operator(ch: number, at: number): Token | undefined {
    const token = (body: TokenBody): Token => ({ ...body, start: at, end: this.pos });
    const binary = (operator: BinaryOperator) => token({ type: "binary", operator });
    const doubled = (operator: BinaryOperator) => {
      if (this.bytes[this.pos] === ch) this.pos += 1;
      return binary(operator);
    };
    const orEquals = (plain: BinaryOperator, withEquals: BinaryOperator) => {
      if (this.bytes[this.pos] !== EQUALS) return binary(plain);
      this.pos += 1;
      return binary(withEquals);
    };
    switch (String.fromCharCode(ch)) {
      case "&":
        return doubled("and");
      case "|":
        return doubled("or");
      case "!":
        if (this.bytes[this.pos] !== EQUALS) return token({ type: "unary", operator: "not" });
        this.pos += 1;
        return binary("ne");
      case "^":
        return binary("xor");
      case "(":
        this.openParens.push(at);
        return token({ type: "openParen" });
      case ")":
        if (this.openParens.pop() === undefined)
          throw new ExpressionSyntaxError("Unmatched close parenthesis", at);
        return token({ type: "closeParen" });
      case "+":
        return binary("add");
      case "*":
        return binary("multiply");
      case "/":
        return binary("divide");
      case "-":
        return this.isStart ? token({ type: "unary", operator: "minus" }) : binary("subtract");
      case "=": {
        // T l.189-194: `=` always consumes the next byte; only `=`, `>` and `<` mean anything.
        const next = this.nextByte();
        if (next === byte(">")) return binary("ge");
        if (next === byte("<")) return binary("le");
        if (next !== undefined && next !== EQUALS && next !== SPACE)
          this.quirks.push({
            kind: "equalsSwallowed",
            position: at,
            swallowed: String.fromCharCode(next),
          });
        return binary("eq");
      }
      case ">":
        return orEquals("gt", "ge");
      case "<":
        return orEquals("lt", "le");
      case ",":
        return token({ type: "comma" });
      case "[":
        return token({ type: "openBracket" });
      case "]":
        return token({ type: "closeBracket" });
    }
    if (ch === SPACE || ch === CR || ch === LF) return undefined;
    if (ch === QUOTE || ch === APOSTROPHE) {
      const value = this.parseString(ch, at);
      return token({ type: "literal", literal: { kind: "string", value } });
    }
    throw new ExpressionSyntaxError(`Invalid character ${debugChar(ch)}`, at);
  }

  private specialForm(word: "matches" | "metric" | "system"): Token {
    const start = this.wordStart;
    const stop = this.findChar([QUOTE, APOSTROPHE]);
    const stringAt = this.pos - 1;
    const text = this.parseString(stop, stringAt);
    let body: TokenBody;
    if (word === "matches") {
      const check = checkRustRegex(text);
      if (!check.ok)
        throw new ExpressionSyntaxError(
          `Invalid regular expression ${debugString(text)}: ${check.reason}`,
          stringAt,
        );
      body = { type: "regex", pattern: text, plan: check.plan };
    } else if (word === "system") {
      if (!SYSTEM_VARIABLES.has(text))
        throw new ExpressionSyntaxError(
          `Invalid system variable name ${debugString(text)}`,
          stringAt,
        );
      body = { type: "system", name: text };
    } else {
      // The server checks the name against its metric list ("Invalid metric name …"); that
      // list is not ported, so every name is taken here. metric() is server-only anyway.
      body = { type: "metric", name: text };
    }
    const end = this.pos;
    this.hasAlpha = false;
    this.wordEnd = this.wordStart;
    if (word === "matches") this.findChar([COMMA]);
    return { ...body, start, end };
  }

  private findChar(chars: number[]): number {
    for (let ch = this.nextByte(); ch !== undefined; ch = this.nextByte()) {
      if (isAsciiWhitespace(ch)) continue;
      if (chars.includes(ch)) return ch;
      throw new ExpressionSyntaxError(
        `Expected ${debugChar(chars[0] ?? 0)}, found invalid character ${debugChar(ch)}`,
        this.pos - 1,
      );
    }
    throw new ExpressionSyntaxError("Unexpected end of expression", this.bytes.length);
  }

  // T l.266-304: a backslash stays in the value and protects the next byte; only `\n`, `\r`
  // and `\t` are translated, and then the backslash is still kept.
  private parseString(stop: number, openAt: number): string {
    const start = this.pos;
    let last = 0;
    let translate = false;
    for (let ch = this.nextByte(); ch !== undefined; ch = this.nextByte()) {
      if (last !== BACKSLASH) {
        if (ch === stop) {
          const raw = this.bytes.subarray(start, this.pos - 1);
          return decoder.decode(translate ? translateEscapes(raw) : raw);
        }
      } else if (ch === byte("n") || ch === byte("r") || ch === byte("t")) translate = true;
      last = ch;
    }
    throw new ExpressionSyntaxError("Unterminated string", openAt);
  }

  private parseWord(): Token {
    const word = this.word();
    const [start, end] = [this.wordStart, this.wordEnd];
    const { hasNumber, hasAlpha, hasDot } = this;
    this.wordEnd = this.wordStart;
    this.hasNumber = false;
    this.hasAlpha = false;
    this.hasDot = false;
    const token = (body: TokenBody): Token => ({ ...body, start, end });
    const literal = (value: Literal) => token({ type: "literal", literal: value });
    const fail = (message: string) => new ExpressionSyntaxError(message, start);

    if (hasNumber && !hasAlpha) {
      const number = hasDot ? parseF64(word) : parseI64(word);
      if (number === undefined) throw fail(`Invalid ${hasDot ? "float" : "integer"} value ${word}`);
      return typeof number === "bigint"
        ? literal({ kind: "integer", value: number })
        : literal({ kind: "float", value: number });
    }
    if (word === "true" || word === "false")
      return literal({ kind: "integer", value: word === "true" ? 1n : 0n });
    if (word.startsWith("$") && word.length > 1) {
      const name = word.slice(1);
      const group = /^[0-9]+$/.test(name) ? parseU32(name) : undefined;
      return group === undefined
        ? token({ type: "global", name })
        : token({ type: "capture", group });
    }
    const fn = lookupFunction(word);
    if (fn) return token({ type: "function", fn });
    if (isKnownVariable(word)) {
      if (isTlsVariable(word)) return token({ type: "variable", name: word });
      throw fail(`Variable ${debugString(word)} not allowed in this context`);
    }
    const id = constantId(word);
    const name = id === undefined ? undefined : CONSTANTS[id];
    if (id !== undefined && name !== undefined) return literal({ kind: "constant", name, id });
    const duration = parseDurationWord(word);
    if (duration !== undefined) return literal({ kind: "integer", value: duration });
    throw fail(`Invalid variable or constant ${debugString(word)}`);
  }
}

function translateEscapes(raw: Uint8Array): Uint8Array {
  const out: number[] = [];
  let last = 0;
  const translated: Record<number, number> = { [byte("n")]: 10, [byte("r")]: 13, [byte("t")]: 9 };
  for (const ch of raw) {
    out.push(last === BACKSLASH ? (translated[ch] ?? ch) : ch);
    last = ch;
  }
  return Uint8Array.from(out);
}
