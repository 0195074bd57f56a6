import { describe, expect, test } from "vitest";
import { byteOffsetToIndex, debugChar, debugString, parseDurationWord } from "./rust-text";
import { type Token, Tokenizer } from "./tokenizer";

function tokens(text: string): Token[] {
  const tokenizer = new Tokenizer(text);
  const out: Token[] = [];
  for (let token = tokenizer.next(); token; token = tokenizer.next()) out.push(token);
  return out;
}

function failure(text: string): { message: string; position: number } {
  try {
    tokens(text);
  } catch (error) {
    const { message, position } = error as { message: string; position: number };
    return { message, position };
  }
  throw new Error(`${text} tokenized without error`);
}

const kinds = (text: string) =>
  tokens(text).map((t) =>
    t.type === "binary" || t.type === "unary" ? `${t.type}:${t.operator}` : t.type,
  );

const literal = (text: string) => {
  const [token] = tokens(text);
  return token?.type === "literal" ? token.literal : undefined;
};

describe("errors carry the server's words and the byte they point at", () => {
  test.each([
    ["retry_num\t> 0", "Invalid character '\\t'", 9],
    ["retry_num > 0 # comment", "Invalid character '#'", 14],
    ["mx; b", "Invalid character ';'", 2],
    ["mx \\ b", "Invalid character '\\\\'", 3],
    ["\u0001", "Invalid character '\\u{1}'", 0],
    ["é", "Invalid character 'Ã'", 0],
    ["mx == 'abc", "Unterminated string", 6],
    ["mx == 'a\\\\'", "Unterminated string", 6],
    ["((retry_num)", "Unmatched open parenthesis", 0],
    ["retry_num > 0)", "Unmatched close parenthesis", 13],
    ["rcpt_domain == foo.bar", 'Invalid variable or constant "foo.bar"', 15],
    ["remote_ip == 1.2.3.4:25", "Invalid float value 1.2.3.4:25", 13],
    ["99999999999999999999", "Invalid integer value 99999999999999999999", 0],
    ["from.domain", 'Variable "from.domain" not allowed in this context', 0],
    ["True", 'Invalid variable or constant "True"', 0],
    ["1_000", 'Invalid variable or constant "1_000"', 0],
    ["$", 'Invalid variable or constant "$"', 0],
    ["matches('x' rcpt)", "Expected ',', found invalid character 'r'", 12],
    ["matches(rcpt)", "Expected '\"', found invalid character 'r'", 8],
    ["matches(  ", "Unexpected end of expression", 10],
    ["system('cpu')", 'Invalid system variable name "cpu"', 7],
    ["matches ('x', rcpt)", 'Invalid variable or constant "matches"', 0],
  ])("%j → %s at byte %d", (text, message, position) => {
    expect(failure(text)).toEqual({ message, position });
  });

  test("a bad regex is reported with the regex crate's text after the fixed prefix", () => {
    const { message, position } = failure("matches('(', rcpt_domain)");
    expect(message).toBe(
      'Invalid regular expression "(": regex parse error:\n    (\n    ^\nerror: unclosed group',
    );
    expect(position).toBe(8);
  });

  test("word errors come before an error in the byte that ends the word", () => {
    expect(failure("foo#").message).toBe('Invalid variable or constant "foo"');
  });

  test("positions are bytes; byteOffsetToIndex turns them into string indexes", () => {
    const text = "'ü' == mx#";
    expect(failure(text)).toEqual({ message: "Invalid character '#'", position: 10 });
    expect(byteOffsetToIndex(text, 10)).toBe(9);
  });
});

describe("words", () => {
  test.each([
    ["1h", 3_600_000n],
    ["h1", 3_600_000n],
    ["1H", 3_600_000n],
    ["30s", 30_000n],
    ["5m", 300_000n],
    ["2d", 172_800_000n],
    ["100ms", 100n],
    ["true", 1n],
    ["false", 0n],
    ["25", 25n],
  ])("%s is the integer %d", (text, value) => {
    expect(literal(text)).toEqual({ kind: "integer", value });
  });

  test("fractional durations are not durations", () => {
    expect(parseDurationWord("1.5h")).toBeUndefined();
    expect(parseDurationWord("ms")).toBeUndefined();
  });

  test.each([
    [".5", 0.5],
    ["1.", 1],
    ["1.25", 1.25],
  ])("%s is the float %d", (text, value) => {
    expect(literal(text)).toEqual({ kind: "float", value });
  });

  test("captures, globals, constants, functions and variables", () => {
    expect(tokens("$1 $foo $99999999999 require count rcpt_domain")).toMatchObject([
      { type: "capture", group: 1 },
      { type: "global", name: "foo" },
      { type: "global", name: "99999999999" },
      { type: "literal", literal: { kind: "constant", name: "require" } },
      { type: "function", fn: { name: "count", arity: 1 } },
      { type: "variable", name: "rcpt_domain" },
    ]);
  });
});

describe("strings keep their backslashes", () => {
  test.each([
    ["'a\\'b'", "a\\'b"],
    ["'a\\nb'", "a\\\nb"],
    ["'a\\b'", "a\\b"],
    ['"o\'brien"', "o'brien"],
    ["'^(.+\\.)?example\\.com$'", "^(.+\\.)?example\\.com$"],
    ["'two\nlines'", "two\nlines"],
  ])("%s is %j", (text, value) => {
    expect(literal(text)).toEqual({ kind: "string", value });
  });
});

test("`=` always consumes the byte after it (T l.189-194)", () => {
  expect(kinds("retry_num=1")).toEqual(["variable", "binary:eq"]);
  expect(kinds("retry_num = 1")).toEqual(["variable", "binary:eq", "literal"]);
  expect(kinds("retry_num==1")).toEqual(["variable", "binary:eq", "literal"]);
  expect(kinds("retry_num=>1")).toEqual(["variable", "binary:ge", "literal"]);
  expect(kinds("retry_num=<1")).toEqual(["variable", "binary:le", "literal"]);
  const tokenizer = new Tokenizer("retry_num=1");
  while (tokenizer.next());
  expect(tokenizer.quirks).toEqual([{ kind: "equalsSwallowed", position: 9, swallowed: "1" }]);
});

test("an unquoted } ends the text", () => {
  expect(kinds("retry_num } && #")).toEqual(["variable"]);
  const tokenizer = new Tokenizer("retry_num } && #");
  while (tokenizer.next());
  expect(tokenizer.quirks).toEqual([{ kind: "braceEnds", position: 10 }]);
});

test("`-` is unary only at the start and after `(`, `,` or a binary operator", () => {
  expect(kinds("-1")).toEqual(["unary:minus", "literal"]);
  expect(kinds("mx -1")[1]).toBe("binary:subtract");
  expect(kinds("(-1)")[1]).toBe("unary:minus");
  expect(kinds("1 > -1")[2]).toBe("unary:minus");
  expect(kinds("[-1]")[1]).toBe("binary:subtract");
  expect(kinds("!-1")[1]).toBe("binary:subtract");
});

test("&, | and their doubles are the same logical operators; != is not-equal", () => {
  expect(kinds("1 & 1 && 1 | 1 || 1 != 1 ^ !1")).toEqual([
    "literal",
    "binary:and",
    "literal",
    "binary:and",
    "literal",
    "binary:or",
    "literal",
    "binary:or",
    "literal",
    "binary:ne",
    "literal",
    "binary:xor",
    "unary:not",
    "literal",
  ]);
});

test("special forms need `(` right after the word", () => {
  expect(tokens("matches('^a', rcpt_domain)")).toMatchObject([
    { type: "regex", pattern: "^a", start: 0 },
    { type: "openParen", start: 7 },
    { type: "variable" },
    { type: "closeParen" },
  ]);
  expect(tokens("system( 'hostname')")[0]).toMatchObject({ type: "system", name: "hostname" });
  expect(tokens("matches(\t'a', mx)")[0]).toMatchObject({ type: "regex" });
});

test("Rust {:?} formatting", () => {
  expect(debugChar(0x80)).toBe("'\\u{80}'");
  expect(debugChar(0xa0)).toBe("'\\u{a0}'");
  expect(debugChar(0x27)).toBe("'\\''");
  expect(debugString('a"b\\')).toBe('"a\\"b\\\\"');
  expect(debugString("it's\n")).toBe('"it\'s\\n"');
});
