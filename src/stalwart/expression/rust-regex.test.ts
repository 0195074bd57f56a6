import { describe, expect, test } from "vitest";
import { checkRustRegex } from "./rust-regex";

function errorOf(pattern: string): string | undefined {
  const check = checkRustRegex(pattern);
  return check.ok ? undefined : (check.reason.split("\nerror: ")[1] ?? check.reason);
}

function runs(pattern: string, haystack: string): string[] | null {
  const check = checkRustRegex(pattern);
  if (!check.ok || check.plan.kind !== "js") throw new Error(`${pattern} is not runnable here`);
  const found = check.plan.regex.exec(haystack);
  return found ? Array.from(found, (group) => group ?? "") : null;
}

function rustOnly(pattern: string): string | undefined {
  const check = checkRustRegex(pattern);
  return check.ok && check.plan.kind === "rustOnly" ? check.plan.reason : undefined;
}

describe("patterns the regex crate refuses", () => {
  test.each([
    ["(", "unclosed group"],
    ["a)", "unopened group"],
    ["*a", "repetition operator missing expression"],
    ["a|*", "repetition operator missing expression"],
    ["(?i)*", "repetition operator missing expression"],
    ["[z-a]", "invalid character class range, the start must be <= the end"],
    ["[\\d-z]", "invalid range boundary, must be a literal"],
    ["[a", "unclosed character class"],
    ["[]", "unclosed character class"],
    ["(?=a)", "look-around, including look-ahead and look-behind, is not supported"],
    ["(?<!a)b", "look-around, including look-ahead and look-behind, is not supported"],
    ["(a)\\1", "backreferences are not supported"],
    ["a{2,1}", "invalid repetition count range, the start must be <= the end"],
    ["a{", "unclosed counted repetition"],
    ["a{x}", "repetition quantifier expects a valid decimal"],
    ["\\p{L", "incomplete escape sequence, reached end of pattern prematurely"],
    ["a\\", "incomplete escape sequence, reached end of pattern prematurely"],
    ["\\q", "unrecognized escape sequence"],
    ["\\xZZ", "invalid hexadecimal digit"],
    ["\\x{D800}", "hexadecimal literal is not a Unicode scalar value"],
    ["(?P<n>a)(?P<n>b)", "duplicate capture group name"],
    ["(?P<>a)", "empty capture group name"],
    ["(?P<1a>a)", "invalid capture group character"],
    ["(?z)", "unrecognized flag"],
    ["(?ii)", "duplicate flag"],
    ["(?i-)", "dangling flag negation operator"],
    ["(?-i-m)", "flag negation operator repeated"],
    ["[\\b]", "invalid escape sequence found in character class"],
  ])("%s → %s", (pattern, message) => {
    expect(errorOf(pattern)).toBe(message);
  });

  test("the message has the regex crate's layout", () => {
    expect(checkRustRegex("a{2,1}")).toEqual({
      ok: false,
      reason:
        "regex parse error:\n    a{2,1}\n     ^^^^^\nerror: invalid repetition count range, the start must be <= the end",
    });
  });
});

describe("patterns run here with the server's meaning", () => {
  test("an unanchored search with captures", () => {
    expect(runs("^(.+\\.)?example\\.com$", "a.example.com")).toEqual(["a.example.com", "a."]);
    expect(runs("^([^.]+)\\.", "corp.example.com")).toEqual(["corp.", "corp"]);
    expect(runs("example", "www.example.org")).toEqual(["example"]);
    expect(runs("(x)?y", "y")).toEqual(["y", ""]);
  });

  test("Unicode classes as Rust defines them", () => {
    expect(runs("\\d", "\u0663")).not.toBeNull();
    expect(runs("\\w+", "ü")).toEqual(["ü"]);
    expect(runs("\\s", "a\u00a0b")).not.toBeNull();
    expect(runs("\\s", "\ufeff")).toBeNull();
    expect(runs("\\bword\\b", "üword")).toBeNull();
    expect(runs("\\bword\\b", "a word.")).toEqual(["word"]);
    expect(runs(".", "\r")).toEqual(["\r"]);
    expect(runs(".", "\n")).toBeNull();
    expect(runs("(?s).", "\n")).toEqual(["\n"]);
    expect(runs("\\p{Lu}", "É")).toEqual(["É"]);
  });

  test("flags, escapes and forms JS spells differently", () => {
    expect(runs("(?i)viagra", "Buy VIAGRA")).toEqual(["VIAGRA"]);
    expect(runs("(?m)^b$", "a\nb\nc")).toEqual(["b"]);
    expect(runs("^b$", "a\nb\nc")).toBeNull();
    expect(runs("a**", "aaa")).toEqual(["aaa"]);
    expect(runs("(?U)a+", "aaa")).toEqual(["a"]);
    expect(runs("(?x) a b # comment", "ab")).toEqual(["ab"]);
    expect(runs("[[:alpha:]]+", "ab1")).toEqual(["ab"]);
    expect(runs("\\#\\-\\~", "#-~")).toEqual(["#-~"]);
    expect(runs("a{ 2 }", "aa")).toEqual(["aa"]);
    expect(runs("]}", "]}")).toEqual(["]}"]);
    expect(runs("(?P<user>[^@]+)@", "bob@x")).toEqual(["bob@", "bob"]);
    expect(runs("\\x41\\u{42}", "AB")).toEqual(["AB"]);
  });
});

describe("valid in Rust, but not reproducible here", () => {
  test.each([
    ["\\p{Greek}", "the Unicode class \\p{Greek}"],
    ["a(?i)b", "case-insensitivity (?i) covers only part of the pattern"],
    ["[a-z&&[^aeiou]]", "class set operations (&&, --, ~~)"],
    ["(?-u)\\w", "ASCII-only mode (?-u)"],
    ["a{2000}", "a repetition count above 1000 (the server may refuse it as too big)"],
  ])("%s", (pattern, reason) => {
    expect(rustOnly(pattern)).toBe(reason);
  });
});
