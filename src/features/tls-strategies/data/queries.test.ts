import {
  literalName,
  quotedNames,
  rulesInKeyOrder,
  usedByWords,
} from "../../../stalwart/outbound-strategy";
import { namesToConfirm } from "../model/usage";
import { expect, test } from "vitest";


test("a rule's value names a strategy only as one string literal, in either quote, escapes as Stalwart keeps them", () => {
  expect(literalName("'invalid-tls'")).toBe("invalid-tls");
  expect(literalName(' "o\'brien" ')).toBe("o'brien");
  expect(literalName("'a\\'b'")).toBe("a\\'b");
  expect(literalName("'a\\nb'")).toBe("a\\\nb");
  expect(literalName("''")).toBe("");
  for (const value of [
    "'tls-' + $1",
    "if_then(true, 'a', 'b')",
    "1",
    "require",
    "default",
    "'a' 'b'",
  ])
    expect(literalName(value)).toBeNull();
});

test("the names of an expression's values with the rules giving them, or null when one of them builds its name", () => {
  const rule = (then: string) => ({ if: "retry_num > 0", then });
  expect(
    quotedNames({ rules: [rule("'invalid-tls'"), rule("'relay'"), rule("'invalid-tls'")], else: "'default'" }),
  ).toEqual(
    new Map([
      ["invalid-tls", { rules: [1, 3], otherwise: false }],
      ["relay", { rules: [2], otherwise: false }],
      ["default", { rules: [], otherwise: true }],
    ]),
  );
  expect(quotedNames({ rules: [rule("'a'")], else: "'a'" })?.get("a")).toEqual({
    rules: [1],
    otherwise: true,
  });
  expect(quotedNames({ rules: [rule("'invalid-tls'")], else: "'tls-' + $1" })).toBeNull();
});

test("rules are numbered in the order delivery tries them: numeric key order, 9 before 10", () => {
  const rule = (n: number) => ({ if: `retry_num > ${n}`, then: `'s${n}'` });
  expect(rulesInKeyOrder({ "10": rule(10), "9": rule(9), "0": rule(0) })).toEqual([
    rule(0),
    rule(9),
    rule(10),
  ]);
});

test("which rules use a strategy, in the words of the list's mark", () => {
  expect(usedByWords({ rules: [2], otherwise: false })).toBe("rule 2");
  expect(usedByWords({ rules: [1, 3], otherwise: false })).toBe("rules 1 and 3");
  expect(usedByWords({ rules: [1, 2, 4], otherwise: false })).toBe("rules 1, 2, and 4");
  expect(usedByWords({ rules: [], otherwise: true })).toBe("Otherwise");
  expect(usedByWords({ rules: [1, 2], otherwise: true })).toBe("rules 1, 2, and Otherwise");
  expect(usedByWords({ rules: [3], otherwise: true })).toBe("rule 3 and Otherwise");
});

test("deleting asks for the names of used strategies, and for something when use is not known", () => {
  const one = new Map([["a", "default"]]);
  const two = new Map([
    ["a", "default"],
    ["b", "relay"],
  ]);
  const usage = {
    isKnown: true as const,
    names: new Map([["default", { rules: [], otherwise: true }]]),
    tls: { rules: [], else: "'default'" },
  };
  expect(namesToConfirm(two, usage)).toEqual(["default"]);
  expect(namesToConfirm(new Map([["b", "relay"]]), usage)).toEqual([]);
  expect(namesToConfirm(one, { isKnown: false, reason: "no permission" })).toEqual(["default"]);
  expect(namesToConfirm(two, undefined)).toEqual(["delete 2 strategies"]);
});
