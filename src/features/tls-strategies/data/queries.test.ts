import { literalName, quotedNames } from "../../../stalwart/outbound-strategy";
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

test("the names of an expression's values, or null when one of them builds its name", () => {
  expect(quotedNames(["'invalid-tls'", "'default'"])).toEqual(new Set(["invalid-tls", "default"]));
  expect(quotedNames(["'invalid-tls'", "'tls-' + $1"])).toBeNull();
});

test("deleting asks for the names of used strategies, and for something when use is not known", () => {
  const one = new Map([["a", "default"]]);
  const two = new Map([
    ["a", "default"],
    ["b", "relay"],
  ]);
  const usage = { isKnown: true as const, names: new Set(["default"]) };
  expect(namesToConfirm(two, usage)).toEqual(["default"]);
  expect(namesToConfirm(new Map([["b", "relay"]]), usage)).toEqual([]);
  expect(namesToConfirm(one, { isKnown: false, reason: "no permission" })).toEqual(["default"]);
  expect(namesToConfirm(two, undefined)).toEqual(["delete 2 strategies"]);
});
