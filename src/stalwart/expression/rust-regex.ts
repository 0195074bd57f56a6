// `matches('<pattern>', v)` patterns are compiled by the server with Rust's regex crate at parse
// time (shared expressions reference §1.6, §4.2). We cannot run Rust regex here, so this module
// reads the pattern with regex-syntax's grammar and gives one of three answers:
//   - invalid: a syntax error Rust certainly reports (unclosed group, look-around, `[z-a]`…),
//     with the regex crate's message; /set refuses these;
//   - js: valid, and translated into an equivalent JS RegExp (Unicode `.`/`\d`/`\w`/`\s`/`\b`
//     written out explicitly, every literal escaped, `(?i)` only when it covers the whole
//     pattern);
//   - rustOnly: valid as far as we can tell, but not reproducible in JS (scripts in `\p{…}`,
//     class set operations, `(?-u)`, partial `(?i)`…): "cannot evaluate here" when reached.
// When unsure whether Rust accepts a construct we never refuse it. It is one grammar, kept in
// one file past 400 lines because its parts (atoms, classes, escapes) recurse into each other.

/** How a valid pattern can be run here. */
export type RegexPlan = { kind: "js"; regex: RegExp } | { kind: "rustOnly"; reason: string };

/** The verdict on one pattern: the regex crate's error text, or a plan. */
export type RegexCheck = { ok: true; plan: RegexPlan } | { ok: false; reason: string };

class RegexSyntaxError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

type Flags = { i: boolean; m: boolean; s: boolean; U: boolean; u: boolean; x: boolean; R: boolean };
type Item = { source: string; isFlags: boolean };
type Escape =
  | { kind: "literal"; codePoint: number }
  | { kind: "set"; outside: string; inside: string | undefined }
  | { kind: "assertion"; source: string };

const META = new Set(Array.from("\\.+*?()|[]{}^$#&-~", (c) => c.codePointAt(0) ?? 0));
const WORD_ITEMS = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}";
const WORD = `[${WORD_ITEMS}]`;
const MAX_REPEAT = 1000;

// General categories by loose name (UAX44-LM3: case, spaces, `_`, `-` and an `is` prefix
// ignored), as regex-syntax matches them; scripts and other properties stay rustOnly.
const CATEGORY_NAMES: Record<string, string[]> = {
  L: ["l", "letter"],
  LC: ["lc", "casedletter"],
  Lu: ["lu", "uppercaseletter"],
  Ll: ["ll", "lowercaseletter"],
  Lt: ["lt", "titlecaseletter"],
  Lm: ["lm", "modifierletter"],
  Lo: ["lo", "otherletter"],
  M: ["m", "mark", "combiningmark"],
  Mn: ["mn", "nonspacingmark"],
  Mc: ["mc", "spacingmark"],
  Me: ["me", "enclosingmark"],
  N: ["n", "number"],
  Nd: ["nd", "decimalnumber", "digit"],
  Nl: ["nl", "letternumber"],
  No: ["no", "othernumber"],
  P: ["p", "punctuation", "punct"],
  Pc: ["pc", "connectorpunctuation"],
  Pd: ["pd", "dashpunctuation"],
  Ps: ["ps", "openpunctuation"],
  Pe: ["pe", "closepunctuation"],
  Pi: ["pi", "initialpunctuation"],
  Pf: ["pf", "finalpunctuation"],
  Po: ["po", "otherpunctuation"],
  S: ["s", "symbol"],
  Sm: ["sm", "mathsymbol"],
  Sc: ["sc", "currencysymbol"],
  Sk: ["sk", "modifiersymbol"],
  So: ["so", "othersymbol"],
  Z: ["z", "separator"],
  Zs: ["zs", "spaceseparator"],
  Zl: ["zl", "lineseparator"],
  Zp: ["zp", "paragraphseparator"],
  C: ["c", "other"],
  Cc: ["cc", "control", "cntrl"],
  Cf: ["cf", "format"],
  Cs: ["cs", "surrogate"],
  Co: ["co", "privateuse"],
  Cn: ["cn", "unassigned"],
};
const CATEGORY_BY_LOOSE_NAME = new Map(
  Object.entries(CATEGORY_NAMES).flatMap(([short, names]) => names.map((n) => [n, short])),
);

// POSIX classes inside brackets, `[[:alpha:]]` (always ASCII in Rust).
const ASCII_CLASSES: Record<string, [number, number][]> = {
  alnum: [
    [48, 57],
    [65, 90],
    [97, 122],
  ],
  alpha: [
    [65, 90],
    [97, 122],
  ],
  ascii: [[0, 127]],
  blank: [
    [9, 9],
    [32, 32],
  ],
  cntrl: [
    [0, 31],
    [127, 127],
  ],
  digit: [[48, 57]],
  graph: [[33, 126]],
  lower: [[97, 122]],
  print: [[32, 126]],
  punct: [
    [33, 47],
    [58, 64],
    [91, 96],
    [123, 126],
  ],
  space: [
    [9, 13],
    [32, 32],
  ],
  upper: [[65, 90]],
  word: [
    [48, 57],
    [65, 90],
    [95, 95],
    [97, 122],
  ],
  xdigit: [
    [48, 57],
    [65, 70],
    [97, 102],
  ],
};

const code = (char: string) => char.codePointAt(0) ?? 0;
const isAsciiAlnum = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** A code point as JS regex source that means exactly that character, in or out of a class. */
function literal(codePoint: number): string {
  return isAsciiAlnum(codePoint) || codePoint === 95
    ? String.fromCodePoint(codePoint)
    : `\\u{${codePoint.toString(16)}}`;
}

function complement(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [low, high] of ranges) {
    if (low > next) out.push([next, low - 1]);
    next = high + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

const rangesSource = (ranges: [number, number][]) =>
  ranges.map(([low, high]) => (low === high ? literal(low) : `${literal(low)}-${literal(high)}`));

class Translator {
  private readonly chars: number[];
  private pos = 0;
  private flags: Flags = { i: false, m: false, s: false, U: false, u: true, x: false, R: false };
  private readonly names = new Set<string>();
  unsupported: string | undefined;
  caseMode: boolean | undefined;

  constructor(pattern: string) {
    this.chars = Array.from(pattern, code);
  }

  run(): string {
    const source = this.alternation(0);
    if (this.pos < this.chars.length) this.fail("unopened group", this.pos, this.pos + 1);
    return source;
  }

  private peek(offset = 0): number | undefined {
    return this.chars[this.pos + offset];
  }

  private fail(message: string, start: number, end: number): never {
    throw new RegexSyntaxError(message, start, end);
  }

  private unsupportedBecause(reason: string): void {
    this.unsupported ??= reason;
  }

  // JS's `i` flag is all or nothing: every case-sensitive atom must share one (?i) state.
  private noteCase(): void {
    if (this.caseMode === undefined) this.caseMode = this.flags.i;
    else if (this.caseMode !== this.flags.i)
      this.unsupportedBecause("case-insensitivity (?i) covers only part of the pattern");
  }

  private isSpace(c: number | undefined): boolean {
    return c !== undefined && /\s/u.test(String.fromCodePoint(c));
  }

  // With the `x` flag, whitespace and `#` comments are insignificant (regex-syntax bump_space).
  private skipSpace(): void {
    if (!this.flags.x) return;
    for (;;) {
      const c = this.peek();
      if (this.isSpace(c)) this.pos += 1;
      else if (c === code("#")) {
        while (this.peek() !== undefined && this.peek() !== 10) this.pos += 1;
      } else return;
    }
  }

  private alternation(depth: number): string {
    const branches = [this.concat(depth)];
    while (this.peek() === code("|")) {
      this.pos += 1;
      branches.push(this.concat(depth));
    }
    return branches.join("|");
  }

  private concat(depth: number): string {
    const items: Item[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === undefined || c === code("|") || c === code(")")) break;
      const start = this.pos;
      if (c === code("*") || c === code("+") || c === code("?")) {
        this.pos += 1;
        this.repeat(items, start, String.fromCodePoint(c));
      } else if (c === code("{")) this.counted(items, start);
      else items.push(this.atom(depth));
    }
    return items.map((item) => item.source).join("");
  }

  private popOperand(items: Item[], start: number): Item {
    const last = items.pop();
    if (!last || last.isFlags)
      this.fail("repetition operator missing expression", start, start + 1);
    return last;
  }

  private quantified(operand: Item, quantifier: string): Item {
    let isLazy = false;
    if (this.peek() === code("?")) {
      this.pos += 1;
      isLazy = true;
    }
    const isGreedy = isLazy === this.flags.U;
    return { source: `(?:${operand.source})${quantifier}${isGreedy ? "" : "?"}`, isFlags: false };
  }

  private repeat(items: Item[], start: number, quantifier: string): void {
    items.push(this.quantified(this.popOperand(items, start), quantifier));
  }

  private decimal(): number {
    while (this.isSpace(this.peek())) this.pos += 1;
    const start = this.pos;
    let digits = "";
    for (let c = this.peek(); c !== undefined && c >= 48 && c <= 57; c = this.peek()) {
      digits += String.fromCodePoint(c);
      this.pos += 1;
    }
    const end = this.pos;
    while (this.isSpace(this.peek())) this.pos += 1;
    if (digits === "") this.fail("repetition quantifier expects a valid decimal", start, end);
    const value = Number(digits);
    if (value > 0xffff_ffff) this.fail("decimal literal invalid", start, end);
    return value;
  }

  private counted(items: Item[], start: number): void {
    const operand = this.popOperand(items, start);
    this.pos += 1;
    const unclosed = () => this.fail("unclosed counted repetition", start, this.pos);
    if (this.peek() === undefined) unclosed();
    let min = 0;
    let max: number | undefined;
    if (this.peek() === code(",")) this.unsupportedBecause("the {,n} repetition form");
    else min = this.decimal();
    max = min;
    if (this.peek() === undefined) unclosed();
    if (this.peek() === code(",")) {
      this.pos += 1;
      this.skipSpace();
      if (this.peek() === undefined) unclosed();
      max = this.peek() === code("}") ? undefined : this.decimal();
    }
    if (this.peek() !== code("}")) unclosed();
    this.pos += 1;
    if (max !== undefined && min > max)
      this.fail("invalid repetition count range, the start must be <= the end", start, this.pos);
    if (Math.max(min, max ?? 0) > MAX_REPEAT)
      this.unsupportedBecause(
        "a repetition count above 1000 (the server may refuse it as too big)",
      );
    const range = max === min ? `{${min}}` : `{${min},${max ?? ""}}`;
    items.push(this.quantified(operand, range));
  }

  private atom(depth: number): Item {
    const c = this.peek() ?? 0;
    const atom = (source: string): Item => ({ source, isFlags: false });
    if (c === code("(")) return this.group(depth);
    if (c === code("[")) return atom(this.bracketClass());
    if (c === code("\\")) {
      const read = this.readEscape();
      if (read.kind === "assertion") return atom(read.source);
      if (read.kind === "set") return atom(read.outside);
      return atom(this.literalAtom(read.codePoint));
    }
    this.pos += 1;
    if (this.flags.R && (c === code(".") || c === code("^") || c === code("$")))
      this.unsupportedBecause("the CRLF mode (?R)");
    if (c === code(".")) return atom(this.flags.s ? "[^]" : "[^\\n]");
    if (c === code("^")) return atom(this.flags.m ? "(?<![^\\n])" : "^");
    if (c === code("$")) return atom(this.flags.m ? "(?![^\\n])" : "$");
    return atom(this.literalAtom(c));
  }

  private literalAtom(codePoint: number): string {
    const char = String.fromCodePoint(codePoint);
    if (char.toLowerCase() !== char.toUpperCase()) this.noteCase();
    return literal(codePoint);
  }

  private group(depth: number): Item {
    const open = this.pos;
    this.pos += 1;
    if (depth >= 100) this.unsupportedBecause("very deep nesting");
    const saved = { ...this.flags };
    let isCapture = true;
    if (this.peek() === code("?")) {
      this.pos += 1;
      const c = this.peek();
      const next = this.peek(1);
      const lookAround = () =>
        this.fail(
          "look-around, including look-ahead and look-behind, is not supported",
          open,
          this.pos + 1,
        );
      if (c === undefined) this.fail("unclosed group", open, open + 1);
      if (c === code("=") || c === code("!")) lookAround();
      if (c === code("<") && (next === code("=") || next === code("!"))) lookAround();
      if (c === code("P") && next === code("<")) {
        this.pos += 2;
        this.groupName();
      } else if (c === code("<")) {
        this.pos += 1;
        this.groupName();
      } else {
        if (this.groupFlags() === "close") return { source: "", isFlags: true };
        isCapture = false;
      }
    }
    const inner = this.alternation(depth + 1);
    if (this.peek() !== code(")")) this.fail("unclosed group", open, open + 1);
    this.pos += 1;
    this.flags = saved;
    return { source: isCapture ? `(${inner})` : `(?:${inner})`, isFlags: false };
  }

  private groupName(): void {
    const start = this.pos;
    let name = "";
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail("unclosed capture group name", start, this.pos);
      if (c === code(">")) break;
      const char = String.fromCodePoint(c);
      const isValid =
        char === "_" ||
        /\p{Alphabetic}/u.test(char) ||
        (name !== "" && (char === "." || char === "[" || char === "]" || /\p{N}/u.test(char)));
      if (!isValid) this.fail("invalid capture group character", this.pos, this.pos + 1);
      name += char;
      this.pos += 1;
    }
    if (name === "") this.fail("empty capture group name", start, start);
    this.pos += 1;
    if (this.names.has(name)) this.fail("duplicate capture group name", start, this.pos - 1);
    this.names.add(name);
  }

  private groupFlags(): "close" | "colon" {
    let isNegated = false;
    let danglingAt: number | undefined;
    const seen = new Set<string>();
    for (;;) {
      const c = this.peek();
      const at = this.pos;
      if (c === undefined) this.fail("expected flag but got end of regex", at, at);
      if (c === code(")") || c === code(":")) {
        if (danglingAt !== undefined)
          this.fail("dangling flag negation operator", danglingAt, danglingAt + 1);
        this.pos += 1;
        return c === code(")") ? "close" : "colon";
      }
      const flag = String.fromCodePoint(c);
      this.pos += 1;
      if (flag === "-") {
        if (isNegated) this.fail("flag negation operator repeated", at, at + 1);
        isNegated = true;
        danglingAt = at;
        continue;
      }
      if (!"imsUuxR".includes(flag)) this.fail("unrecognized flag", at, at + 1);
      if (seen.has(flag)) this.fail("duplicate flag", at, at + 1);
      seen.add(flag);
      danglingAt = undefined;
      this.flags = { ...this.flags, [flag]: !isNegated };
      if (flag === "u" && isNegated) this.unsupportedBecause("ASCII-only mode (?-u)");
      if (flag === "R" && !isNegated) this.unsupportedBecause("the CRLF mode (?R)");
    }
  }

  private readEscape(): Escape {
    const start = this.pos;
    this.pos += 1;
    const c = this.peek();
    if (c === undefined)
      this.fail("incomplete escape sequence, reached end of pattern prematurely", start, this.pos);
    this.pos += 1;
    const char = String.fromCodePoint(c);
    // Escapable: the meta characters and any other ASCII punctuation except `<` and `>`.
    if (META.has(c) || (c < 128 && !isAsciiAlnum(c) && char !== "<" && char !== ">"))
      return { kind: "literal", codePoint: c };
    const controls: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    const control = controls[char];
    if (control !== undefined) return { kind: "literal", codePoint: control };
    const assertion = (source: string): Escape => ({ kind: "assertion", source });
    switch (char) {
      case "A":
        return assertion("^");
      case "z":
        return assertion("$");
      case "b":
        return this.wordBoundary();
      case "B":
        return assertion(`(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`);
      case "<":
        return assertion(`(?<!${WORD})(?=${WORD})`);
      case ">":
        return assertion(`(?<=${WORD})(?!${WORD})`);
      case "x":
        return this.hex(start, 2);
      case "u":
        return this.hex(start, 4);
      case "U":
        return this.hex(start, 8);
      case "p":
      case "P":
        return this.unicodeClass(start, char === "P");
    }
    const perl = this.perlClass(char);
    if (perl) return perl;
    if (c >= 48 && c <= 57) this.fail("backreferences are not supported", start, this.pos);
    return this.fail("unrecognized escape sequence", start, this.pos);
  }

  private wordBoundary(): Escape {
    const boundary = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
    if (this.peek() !== code("{")) return { kind: "assertion", source: boundary };
    const close = this.chars.indexOf(code("}"), this.pos);
    const body = close < 0 ? "" : String.fromCodePoint(...this.chars.slice(this.pos + 1, close));
    const special: Record<string, string> = {
      start: `(?<!${WORD})(?=${WORD})`,
      end: `(?<=${WORD})(?!${WORD})`,
      "start-half": `(?<!${WORD})`,
      "end-half": `(?!${WORD})`,
    };
    const source = special[body];
    if (source !== undefined) {
      this.pos = close + 1;
      return { kind: "assertion", source };
    }
    // `\b{2}` is a repetition of `\b`; anything else is a special form we cannot judge.
    if (!/^\s*[0-9]*\s*(,\s*[0-9]*\s*)?$/.test(body))
      this.unsupportedBecause("a special word boundary \\b{…}");
    return { kind: "assertion", source: boundary };
  }

  private perlClass(char: string): Escape | undefined {
    if (!"dDsSwW".includes(char)) return undefined;
    if (!this.flags.u) this.unsupportedBecause("ASCII-only mode (?-u)");
    const set = (outside: string, inside: string | undefined): Escape => {
      if (char.toLowerCase() === "w") this.noteCase();
      return { kind: "set", outside, inside };
    };
    switch (char) {
      case "d":
        return set("\\p{Nd}", "\\p{Nd}");
      case "D":
        return set("\\P{Nd}", "\\P{Nd}");
      case "s":
        return set("\\p{White_Space}", "\\p{White_Space}");
      case "S":
        return set("\\P{White_Space}", "\\P{White_Space}");
      case "w":
        return set(WORD, WORD_ITEMS);
      case "W":
        return set(`[^${WORD_ITEMS}]`, undefined);
    }
    return undefined;
  }

  private hex(start: number, width: number): Escape {
    const isHex = (c: number | undefined) =>
      c !== undefined && /[0-9a-fA-F]/.test(String.fromCodePoint(c));
    const eof: () => never = () =>
      this.fail("incomplete escape sequence, reached end of pattern prematurely", start, this.pos);
    let digits = "";
    if (this.peek() === code("{")) {
      this.pos += 1;
      while (this.peek() !== code("}")) {
        const c = this.peek();
        if (c === undefined) eof();
        if (!isHex(c)) this.fail("invalid hexadecimal digit", this.pos, this.pos + 1);
        digits += String.fromCodePoint(c);
        this.pos += 1;
      }
      this.pos += 1;
      if (digits === "") this.fail("hexadecimal literal empty", start, this.pos);
    } else {
      while (digits.length < width) {
        const c = this.peek();
        if (c === undefined) eof();
        if (!isHex(c)) this.fail("invalid hexadecimal digit", this.pos, this.pos + 1);
        digits += String.fromCodePoint(c);
        this.pos += 1;
      }
    }
    const value = digits.length > 8 ? Number.POSITIVE_INFINITY : Number.parseInt(digits, 16);
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))
      this.fail("hexadecimal literal is not a Unicode scalar value", start, this.pos);
    return { kind: "literal", codePoint: value };
  }

  private unicodeClass(start: number, isNegatedEscape: boolean): Escape {
    const eof: () => never = () =>
      this.fail("incomplete escape sequence, reached end of pattern prematurely", start, this.pos);
    let body: string;
    const first = this.peek();
    if (first === undefined) eof();
    if (first === code("{")) {
      const close = this.chars.indexOf(code("}"), this.pos);
      if (close < 0) {
        this.pos = this.chars.length;
        eof();
      }
      body = String.fromCodePoint(...this.chars.slice(this.pos + 1, close));
      this.pos = close + 1;
    } else {
      body = String.fromCodePoint(first);
      this.pos += 1;
    }
    this.noteCase();
    let isNegated = isNegatedEscape;
    if (body.startsWith("^")) {
      isNegated = !isNegated;
      body = body.slice(1);
    }
    const loose = (name: string) => name.toLowerCase().replace(/[\s_-]/g, "");
    let name = loose(body);
    const value = /^(?:gc|generalcategory)[:=](.*)$/.exec(name);
    if (value) name = value[1] ?? "";
    else if (name.startsWith("is") && !CATEGORY_BY_LOOSE_NAME.has(name)) name = name.slice(2);
    const p = isNegated ? "P" : "p";
    const category = CATEGORY_BY_LOOSE_NAME.get(name);
    if (category)
      return { kind: "set", outside: `\\${p}{gc=${category}}`, inside: `\\${p}{gc=${category}}` };
    if (!value && name === "any")
      return isNegated
        ? { kind: "set", outside: "[]", inside: "" }
        : { kind: "set", outside: "[^]", inside: "\\u{0}-\\u{10ffff}" };
    if (!value && (name === "ascii" || name === "assigned")) {
      const ascii = isNegated ? "\\u{80}-\\u{10ffff}" : "\\u{0}-\\u{7f}";
      const inside = name === "ascii" ? ascii : isNegated ? "\\p{gc=Cn}" : "\\P{gc=Cn}";
      return { kind: "set", outside: `[${inside}]`, inside };
    }
    this.unsupportedBecause(`the Unicode class \\p{${body}}`);
    return { kind: "set", outside: "[]", inside: "" };
  }

  private bracketClass(): string {
    const { isNegated, items } = this.classBody();
    return `[${isNegated ? "^" : ""}${items}]`;
  }

  private classBody(): { isNegated: boolean; items: string } {
    const open = this.pos;
    this.pos += 1;
    this.skipSpace();
    let isNegated = false;
    if (this.peek() === code("^")) {
      this.pos += 1;
      isNegated = true;
      this.skipSpace();
    }
    let items = "";
    if (this.peek() === code("]")) {
      this.pos += 1;
      items += literal(code("]"));
    }
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === undefined) this.fail("unclosed character class", open, open + 1);
      if (c === code("]")) {
        this.pos += 1;
        break;
      }
      const next = this.peek(1);
      if (c === code("[")) {
        const ascii = this.asciiClass();
        if (ascii !== undefined) items += ascii;
        else {
          const nested = this.classBody();
          if (nested.isNegated) this.unsupportedBecause("a negated class inside a class");
          items += nested.items;
        }
      } else if ((c === code("&") || c === code("-") || c === code("~")) && next === c) {
        this.unsupportedBecause("class set operations (&&, --, ~~)");
        this.pos += 2;
      } else items += this.classRange(open);
    }
    this.noteCase();
    return { isNegated, items };
  }

  private asciiClass(): string | undefined {
    const match = /^\[:(\^?)([a-z]+):\]/.exec(
      String.fromCodePoint(...this.chars.slice(this.pos, this.pos + 12)),
    );
    const ranges = match ? ASCII_CLASSES[match[2] ?? ""] : undefined;
    if (!match || !ranges) return undefined;
    this.pos += match[0].length;
    return rangesSource(match[1] ? complement(ranges) : ranges).join("");
  }

  private classItem(): Escape {
    const start = this.pos;
    const c = this.peek() ?? 0;
    if (c !== code("\\")) {
      this.pos += 1;
      return { kind: "literal", codePoint: c };
    }
    const read = this.readEscape();
    if (read.kind === "assertion")
      this.fail("invalid escape sequence found in character class", start, this.pos);
    return read;
  }

  private peekPastSpace(): number | undefined {
    let at = this.pos + 1;
    while (this.flags.x && this.isSpace(this.chars[at])) at += 1;
    return this.chars[at];
  }

  private classRange(open: number): string {
    const start = this.pos;
    const first = this.classItem();
    const itemSource = (item: Escape): string => {
      if (item.kind === "literal") return literal(item.codePoint);
      if (item.kind === "set" && item.inside !== undefined) return item.inside;
      this.unsupportedBecause("a negated Perl class (\\W) inside a class");
      return "";
    };
    this.skipSpace();
    if (this.peek() === undefined) this.fail("unclosed character class", open, open + 1);
    const afterDash = this.peekPastSpace();
    if (this.peek() !== code("-") || afterDash === code("]") || afterDash === code("-"))
      return itemSource(first);
    this.pos += 1;
    this.skipSpace();
    if (this.peek() === undefined) this.fail("unclosed character class", open, open + 1);
    const last = this.classItem();
    if (first.kind !== "literal" || last.kind !== "literal")
      this.fail("invalid range boundary, must be a literal", start, this.pos);
    if (first.codePoint > last.codePoint)
      this.fail("invalid character class range, the start must be <= the end", start, this.pos);
    return `${literal(first.codePoint)}-${literal(last.codePoint)}`;
  }
}

// regex-syntax's one-line error layout: the pattern, a caret line under the span, the message.
function formatError(pattern: string, error: RegexSyntaxError): string {
  const width = Math.max(1, error.end - error.start);
  return `regex parse error:\n    ${pattern}\n    ${" ".repeat(error.start)}${"^".repeat(width)}\nerror: ${error.message}`;
}

/**
 * Judges a `matches` pattern the way the server's regex crate would, and plans how to run it
 * here. `{ok: false, reason}` carries the regex crate's error text (only the layout of its
 * first words is certain); a valid pattern comes back as a compiled JS RegExp (Unicode, with
 * `i` when `(?i)` covers it all) or as rustOnly with the construct we cannot reproduce.
 */
export function checkRustRegex(pattern: string): RegexCheck {
  const translator = new Translator(pattern);
  let source: string;
  try {
    source = translator.run();
  } catch (error) {
    if (error instanceof RegexSyntaxError)
      return { ok: false, reason: formatError(pattern, error) };
    throw error;
  }
  if (translator.unsupported !== undefined)
    return { ok: true, plan: { kind: "rustOnly", reason: translator.unsupported } };
  try {
    return {
      ok: true,
      plan: { kind: "js", regex: new RegExp(source, translator.caseMode ? "iu" : "u") },
    };
  } catch {
    return {
      ok: true,
      plan: { kind: "rustOnly", reason: "a pattern this browser cannot compile" },
    };
  }
}
