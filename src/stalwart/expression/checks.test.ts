import { describe, expect, test } from "vitest";
import { type CheckInput, checkTlsExpression, type FindingCode } from "./checks";

const STRATEGIES = ["default", "invalid-tls", "no-tls", "strict"];

function findings(rules: [string, string][], elseText = "'default'", strategies = STRATEGIES) {
  const input: CheckInput = {
    rules: rules.map(([condition, then]) => ({ if: condition, then })),
    else: elseText,
    strategies,
  };
  return checkTlsExpression(input).map(({ ruleIndex, code }) => [ruleIndex, code] as const);
}

const codes = (rules: [string, string][], elseText?: string, strategies?: string[]) =>
  findings(rules, elseText, strategies).map(([, code]) => code);

test("the built-in default with its two strategies raises only the last_error caveat", () => {
  expect(findings([["retry_num > 0 && last_error == 'tls'", "'invalid-tls'"]])).toEqual([
    [0, "last-error-last-host"],
  ]);
});

describe("names", () => {
  test("a name no strategy has, and a missing default, mean built-in defaults", () => {
    expect(findings([["retry_num > 0", "'no-such'"]], "'default'", ["no-tls"])).toEqual([
      [0, "unknown-strategy"],
      ["else", "no-default-strategy"],
    ]);
    expect(codes([["true", "''"]])).toContain("unknown-strategy");
  });

  test.each<[string, FindingCode]>([
    ["disable", "bare-setting-word"],
    ["1", "not-a-name"],
    ["'invalid' + '-tls'", "computed-value"],
    ["'x' || 'y'", "computed-value"],
    [" ", "not-a-name"],
    ["'x' + 1", "computed-value"],
    ["'a\\'b'", "backslash-in-name"],
  ])("then %s → %s", (then, code) => {
    expect(codes([["retry_num > 0", then]])).toContain(code);
  });

  test("the message says what happens instead, in plain words", () => {
    const [finding] = checkTlsExpression({
      rules: [{ if: "true", then: "disable" }],
      else: "'default'",
      strategies: [],
    });
    expect(finding?.message).toBe(
      `disable has no quotes, so it is an old-style setting word, not a strategy name, and Stalwart uses the name "default", which no strategy has, so this mail gets Stalwart's built-in defaults (DANE, MTA-STS and STARTTLS all optional, certificates checked). Write 'disable' to pick a strategy called disable.`,
    );
  });
});

describe("rules that can never apply", () => {
  test.each<[string, [string, string][]]>([
    [
      "the docs' three-step example",
      [
        ["retry_num > 0 && last_error == 'tls'", "'invalid-tls'"],
        ["retry_num > 1 && last_error == 'tls'", "'no-tls'"],
      ],
    ],
    [
      "an identical condition",
      [
        ["is_local_domain(rcpt_domain)", "'no-tls'"],
        ["is_local_domain(rcpt_domain)", "'strict'"],
      ],
    ],
    [
      "any failure before one kind",
      [
        ["retry_num > 0", "'no-tls'"],
        ["retry_num > 0 && last_error == 'dane'", "'strict'"],
      ],
    ],
    [
      "a target-less rule before a targeted one",
      [
        ["retry_num > 0 && last_error == 'tls'", "'no-tls'"],
        ["rcpt_domain == 'a.example' && retry_num > 1 && last_error == 'tls'", "'strict'"],
      ],
    ],
    [
      "the same target without WHEN first",
      [
        ["rcpt_domain == 'a.example'", "'no-tls'"],
        ["rcpt_domain == 'a.example' && retry_num > 0", "'strict'"],
      ],
    ],
    [
      "a domain inside an earlier list",
      [
        ["contains(['a.example', 'b.example'], rcpt_domain)", "'no-tls'"],
        ["rcpt_domain == 'b.example'", "'strict'"],
      ],
    ],
    [
      "a subdomain under an earlier suffix",
      [
        ["rcpt_domain == 'corp.example' || ends_with(rcpt_domain, '.corp.example')", "'no-tls'"],
        ["ends_with(rcpt_domain, '.eu.corp.example')", "'strict'"],
      ],
    ],
    [
      "an MX host under an earlier suffix",
      [
        ["ends_with(mx, '.example.net')", "'no-tls'"],
        ["mx == 'mx1.example.net'", "'strict'"],
      ],
    ],
    [
      "a rule after one that is always true",
      [
        ["true", "'no-tls'"],
        ["retry_num > 5", "'strict'"],
      ],
    ],
  ])("%s", (_, rules) => {
    expect(findings(rules)).toContainEqual([1, "unreachable"]);
  });

  test.each<[string, [string, string][]]>([
    [
      "a lower retry threshold after a higher one",
      [
        ["retry_num > 1 && last_error == 'tls'", "'no-tls'"],
        ["retry_num > 0 && last_error == 'tls'", "'invalid-tls'"],
      ],
    ],
    [
      "different error kinds",
      [
        ["retry_num > 0 && last_error == 'tls'", "'no-tls'"],
        ["retry_num > 0 && last_error == 'dane'", "'strict'"],
      ],
    ],
    [
      "an apex after a subdomain-only rule",
      [
        ["ends_with(rcpt_domain, '.a.example')", "'no-tls'"],
        ["rcpt_domain == 'a.example'", "'strict'"],
      ],
    ],
    [
      "a look-alike suffix",
      [
        ["ends_with(rcpt_domain, '.a.example')", "'no-tls'"],
        ["rcpt_domain == 'ba.example'", "'strict'"],
      ],
    ],
  ])("not for %s", (_, rules) => {
    expect(codes(rules)).not.toContain("unreachable");
  });

  test("an always-true rule also hides the otherwise value", () => {
    expect(findings([["true", "'no-tls'"]])).toContainEqual(["else", "unreachable"]);
  });
});

describe("conditions", () => {
  test.each<[string, FindingCode]>([
    ["rcpt_domain == 'Example.com'", "domain-not-normalised"],
    ["ends_with(rcpt_domain, '.Bücher.de')", "domain-not-normalised"],
    ["mx == 'MX1.example.net'", "domain-not-normalised"],
    ["mx == 'mx1.example.net'", "mx-only-per-host"],
    ["retry_num > 0 && last_error == 'TLS'", "unknown-error-kind"],
    ["remote_ip == '192.0.2.1'", "meaningless-variable"],
    ["key_set('', rcpt_domain, 1) || true", "repeated-side-effect"],
    ["counter_incr('', 'n', 1) > 3", "repeated-side-effect"],
    ["queue_age > 1h", "duration-in-milliseconds"],
    ["retry_num=1", "single-equals"],
    ["retry_num > 0 } && false", "text-after-brace"],
    ["rcpt_domain in ['a.com']", "does-not-compile"],
  ])("%s → %s", (condition, code) => {
    expect(codes([[condition, "'no-tls'"]])).toContain(code);
  });

  test("the domain finding offers the form Stalwart compares", () => {
    const [finding] = checkTlsExpression({
      rules: [{ if: "ends_with(rcpt_domain, '.Bücher.de')", then: "'no-tls'" }],
      else: "'default'",
      strategies: STRATEGIES,
    });
    expect(finding?.message).toBe(
      "'.Bücher.de' never matches: Stalwart compares domain names in lower case and in their xn-- (punycode) form. Write '.xn--bcher-kva.de' instead.",
    );
  });

  test("a broken text is an error with the server's message, and nothing else is said of it", () => {
    expect(
      checkTlsExpression({
        rules: [{ if: "rcpt_domain in ['a.com']", then: "'x'" }],
        else: "'default'",
        strategies: ["x", "default"],
      }),
    ).toEqual([
      {
        ruleIndex: 0,
        severity: "error",
        code: "does-not-compile",
        message: `Error parsing 'if' expression in condition #1: Invalid variable or constant "in"`,
      },
    ]);
  });

  test("clean canonical rules raise nothing", () => {
    expect(
      findings([
        ["rcpt_domain == 'legacy.example'", "'no-tls'"],
        ["rcpt_domain == 'corp.example' || ends_with(rcpt_domain, '.corp.example')", "'strict'"],
      ]),
    ).toEqual([]);
  });
});
