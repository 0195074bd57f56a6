import { describe, expect, test } from "vitest";
import { findLookalike, lookalikeGroups, lookalikeReason } from "./name-lookalike";

describe("names that look the same are the same name", () => {
  test.each([
    ["café", "cafe\u0301", "normalization"],
    ["ｄｅｆａｕｌｔ", "default", "compatibility"],
    ["ﬁrst", "first", "compatibility"],
    ["Default", "default", "case"],
    ["DEFAULT", "default", "case"],
    ["defauIt", "default", "confusable"],
    ["defau1t", "default", "confusable"],
    ["dеfault", "default", "confusable"],
    ["ԁеfаult", "default", "confusable"],
    ["relay‐eu", "relay-eu", "confusable"],
    ["modern", "modem", "confusable"],
    ["relay.0", "relay.o", "confusable"],
    ["Invalid-TLS", "invalid-tls", "case"],
    ["Iogs", "logs", "confusable"],
    ["ассѐѕ", "accès", "confusable"],
    ["соӧр", "coöp", "confusable"],
    ["ոօօո", "noon", "confusable"],
    ["ᎪᏴᏟ", "abc", "confusable"],
  ] as const)("%j looks like %j (%s)", (a, b, reason) => {
    expect(lookalikeReason(a, b)).toBe(reason);
    expect(lookalikeReason(b, a)).toBe(reason);
  });

  test.each([
    ["café", "cafe"],
    ["relay-eu", "relay_eu"],
    ["relay-eu", "relay-us"],
    ["default", "defaults"],
    ["日本", "日木"],
  ])("%j and %j are told apart", (a, b) => {
    expect(lookalikeReason(a, b)).toBeNull();
  });

  test("the same name is not a look-alike of itself: that is a taken name", () => {
    expect(lookalikeReason("default", "default")).toBeNull();
    expect(findLookalike("default", new Map([["a", "default"]]))).toBeNull();
  });

  test("a new name is matched against every existing one, naming the one it looks like", () => {
    const existing = new Map([
      ["a", "invalid-tls"],
      ["b", "café"],
    ]);
    expect(findLookalike("cafe\u0301", existing)).toEqual({
      id: "b",
      name: "café",
      reason: "normalization",
    });
    expect(findLookalike("Invalid-TLS", existing)).toMatchObject({ id: "a", reason: "case" });
    expect(findLookalike("relay", existing)).toBeNull();
  });

  test("stored names that already look alike are grouped, each with the others", () => {
    const groups = lookalikeGroups(
      new Map([
        ["1", "default"],
        ["2", "Default"],
        ["3", "invalid-tls"],
        ["4", "dеfault"],
      ]),
    );
    expect(groups.get("1")).toEqual(["Default", "dеfault"]);
    expect(groups.get("2")).toEqual(["default", "dеfault"]);
    expect(groups.has("3")).toBe(false);
  });

  test("among 5,000 stored names, only those that look alike are grouped", () => {
    const names = new Map(Array.from({ length: 5_000 }, (_, i) => [`${i}`, `relay-${i}`]));
    names.set("x", "RELAY-17");
    const groups = lookalikeGroups(names);
    expect(groups.get("x")).toEqual(["relay-17"]);
    expect(groups.size).toBe(2);
  });
});
