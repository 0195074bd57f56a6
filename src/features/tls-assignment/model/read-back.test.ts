import { describe, expect, test } from "vitest";
import { rulesInWords, sameRules } from "./read-back";
import { PARTNER_RULES } from "./test-rules";

const TLS = PARTNER_RULES;

describe("read-back comparison", () => {
  test("the same rules in the same order are the same; any byte or order difference is not", () => {
    const copy = structuredClone(TLS);
    expect(sameRules(TLS, copy)).toBe(true);
    expect(sameRules(TLS, { ...copy, rules: [...copy.rules].reverse() })).toBe(false);
    expect(sameRules(TLS, { ...copy, else: '"default"' })).toBe(false);
    expect(sameRules(TLS, { ...copy, rules: copy.rules.slice(1) })).toBe(false);
  });

  test("rules in words, for the clash dialog", () => {
    expect(
      rulesInWords({ rules: [...TLS.rules, { if: "true", then: "'x'" }], else: "'default'" }),
    ).toEqual([
      "1. Mail to partner.example uses relaxed",
      "2. Any mail, on a retry after a tls failure, uses invalid-tls",
      "3. Mail through MX host mx.secure.example uses gone",
      "4. If true then 'x'",
      "Otherwise: uses default",
    ]);
  });
});
