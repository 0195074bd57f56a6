import { describe, expect, test } from "vitest";
import { PARTNER_RULES } from "./test-rules";
import { tryRules } from "./try-it";

const TLS = PARTNER_RULES;
const STRATEGIES = ["default", "invalid-tls", "relaxed"];
const input = { recipientDomain: "", mxHost: "", retryNumber: 0, lastError: "none" };

describe("Try it", () => {
  test("names the rule that fired and the strategy, the domain normalised as the queue stores it", () => {
    expect(tryRules(TLS, { ...input, recipientDomain: "bob@Partner.Example" }, STRATEGIES)).toEqual(
      {
        kind: "picked",
        rule: 0,
        name: "relaxed",
        resolution: "strategy",
      },
    );
    expect(
      tryRules(
        TLS,
        { ...input, recipientDomain: "x.example", retryNumber: 1, lastError: "tls" },
        STRATEGIES,
      ),
    ).toMatchObject({ rule: 1, name: "invalid-tls" });
  });

  test("Otherwise when no rule fires; a name no strategy has gets the built-in defaults", () => {
    expect(tryRules(TLS, { ...input, recipientDomain: "x.example" }, STRATEGIES)).toMatchObject({
      rule: "otherwise",
      name: "default",
      resolution: "strategy",
    });
    expect(
      tryRules(
        TLS,
        { ...input, recipientDomain: "x.example", mxHost: "MX.secure.example." },
        STRATEGIES,
      ),
    ).toMatchObject({ rule: 2, name: "gone", resolution: "built-in defaults" });
    expect(tryRules(TLS, { ...input, recipientDomain: "x.example" }, ["relaxed"])).toMatchObject({
      name: "default",
      resolution: "built-in defaults",
    });
    // Strategies that could not be read: which one it is cannot be told.
    expect(tryRules(TLS, { ...input, recipientDomain: "x.example" }, null)).toMatchObject({
      name: "default",
      resolution: "unknown",
    });
  });

  test("a server-side function reached cannot be told here, and is named; one skipped can", () => {
    const tls = {
      rules: [{ if: "retry_num > 0 && is_local_domain(rcpt_domain)", then: "'x'" }],
      else: "'default'",
    };
    expect(
      tryRules(tls, { ...input, recipientDomain: "a.example", retryNumber: 1 }, STRATEGIES),
    ).toEqual({
      kind: "cannotTell",
      construct: "is_local_domain",
      rule: 0,
    });
    expect(tryRules(tls, { ...input, recipientDomain: "a.example" }, STRATEGIES)).toMatchObject({
      kind: "picked",
      rule: "otherwise",
    });
  });

  test("rules that do not compile are said so, with the server's message", () => {
    expect(tryRules({ rules: [{ if: "foo", then: "'x'" }], else: "'d'" }, input, [])).toEqual({
      kind: "doesNotCompile",
      message:
        "Error parsing 'if' expression in condition #1: Invalid variable or constant \"foo\"",
    });
  });
});
