import { describe, expect, test } from "vitest";
import { compileExpression, compileRules, toSetError } from "./compile";

const rule = (text: string, then = "'x'") => ({ if: text, then });

describe("patch-level refusals (invalidPatch)", () => {
  test.each([
    [{ match: [rule("true")], else: "'d'" }, "Invalid value for object property", "tls/match"],
    [{ match: { a: rule("true") }, else: "'d'" }, "Invalid key for object property", "tls/match"],
    [
      { match: { "-1": rule("true") }, else: "'d'" },
      "Invalid key for object property",
      "tls/match",
    ],
    [
      { match: { "4294967296": rule("true") }, else: "'d'" },
      "Invalid key for object property",
      "tls/match",
    ],
    [{ match: {}, else: "" }, "Invalid value for property.", "tls/else"],
    [{ match: { 0: rule("") }, else: "'d'" }, "Invalid value for property.", "tls/match/if"],
    [
      { match: { 0: rule("true", "") }, else: "'d'" },
      "Invalid value for property.",
      "tls/match/then",
    ],
    [{ match: {}, else: 5 }, "Invalid value for property.", "tls/else"],
    [{ match: {}, else: "'d'", other: 1 }, "Invalid property", "tls/other"],
    [
      { match: { 0: { ...rule("true"), when: "x" } }, else: "'d'" },
      "Invalid property",
      "tls/match/when",
    ],
  ])("%j → %s", (expression, description, path) => {
    expect(compileExpression(expression)).toEqual({
      ok: false,
      error: { kind: "invalidPatch", description, properties: [path] },
    });
  });
});

describe("rules run in numeric key order", () => {
  test("keys sort as numbers and are renumbered #1… in that order", () => {
    const result = compileExpression({
      match: { 10: rule("true", "'ten'"), 9: rule("true", "'nine'"), 5: rule("foo") },
      else: "'d'",
    });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: "validationFailed",
        value: `Error parsing 'if' expression in condition #1: Invalid variable or constant "foo"`,
        rule: 0,
        part: "if",
        position: 0,
      },
    });
  });

  test('"01" and "1" are one key; the later one wins; "+1" is key 1 too', () => {
    const compiled = compileExpression({
      match: { 1: rule("true"), "01": rule("false") },
      else: "'d'",
    });
    expect(compiled.ok && compiled.compiled.rules.map((r) => r.key)).toEqual([1]);
    expect(compiled.ok && compiled.compiled.rules[0]?.if).toMatchObject([
      { op: "literal", literal: { value: 0n } },
    ]);
    const plus = compileExpression({ match: { "+1": rule("true") }, else: "'d'" });
    expect(plus.ok && plus.compiled.rules[0]?.key).toBe(1);
  });
});

describe("compile order and wrappers (IB l.117-211)", () => {
  test("an else error is reported before any rule error", () => {
    const result = compileExpression({ match: { 0: rule("foo") }, else: "default" });
    expect(result).toMatchObject({
      ok: false,
      error: {
        value: `Error parsing 'else' expression: Invalid variable or constant "default"`,
        part: "else",
      },
    });
  });

  test("a rule's if is checked before its then, and positions point into that text", () => {
    const result = compileRules([rule("true"), rule("retry_num > 0", "'a' #")], "'d'");
    expect(result).toEqual({
      ok: false,
      error: {
        kind: "validationFailed",
        value: "Error parsing 'then' expression in condition #2: Invalid character '#'",
        rule: 1,
        part: "then",
        position: 4,
      },
    });
  });

  test("absent if/then and a missing else get the server's block messages", () => {
    expect(compileExpression({ match: { 0: { if: "true" } }, else: "'d'" })).toMatchObject({
      error: { kind: "validationFailed", value: "All 'if' and 'then' blocks must be non-empty" },
    });
    expect(compileExpression({ match: { 0: rule("true") } })).toMatchObject({
      error: { kind: "validationFailed", value: "Missing 'else' block in 'if' expression" },
    });
  });

  test("accepted garbage compiles (§1.7)", () => {
    for (const text of ["retry_num >", "retry_num > 0 &&", "retry_num=1", "()", " "])
      expect(compileRules([rule(text)], "'d'").ok).toBe(true);
  });

  test("the built-in default compiles", () => {
    const result = compileExpression({
      match: { 0: { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" } },
      else: "'default'",
    });
    expect(result.ok).toBe(true);
  });
});

test("toSetError gives the JMAP SetError shapes of reference §5.2", () => {
  expect(
    toSetError({ kind: "validationFailed", value: "Error parsing …", rule: 0, part: "if" }),
  ).toEqual({
    type: "validationFailed",
    properties: ["tls"],
    validationErrors: [{ type: "Invalid", property: "tls", value: "Error parsing …" }],
  });
  expect(
    toSetError({
      kind: "invalidPatch",
      description: "Invalid key for object property",
      properties: ["tls/match"],
    }),
  ).toEqual({
    type: "invalidPatch",
    description: "Invalid key for object property",
    properties: ["tls/match"],
  });
});
