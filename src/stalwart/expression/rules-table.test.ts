import { describe, expect, test } from "vitest";
import { compileRules } from "./compile";
import {
  type Row,
  recognise,
  recogniseCondition,
  recogniseElse,
  recogniseName,
  render,
  renderElse,
  renderName,
} from "./rules-table";

// Every canonical condition form of reference §6.3, and combinations of them.
const CANONICAL_CONDITIONS = [
  "rcpt_domain == 'legacy.example'",
  "contains(['a.example', 'b.example'], rcpt_domain)",
  "contains(['a.example', 'b.example', 'c-1.example'], rcpt_domain)",
  "ends_with(rcpt_domain, '.corp.example')",
  "rcpt_domain == 'corp.example' || ends_with(rcpt_domain, '.corp.example')",
  "mx == 'highly-secure.host.org'",
  "ends_with(mx, '.mail.protection.outlook.com')",
  "retry_num > 0 && last_error == 'tls'",
  "retry_num > 12 && last_error == 'mta-sts'",
  "retry_num > 3",
  "rcpt_domain == 'a.example' && retry_num > 0 && last_error == 'dane'",
  "contains(['a.example', 'b.example'], rcpt_domain) && retry_num > 1",
  "ends_with(rcpt_domain, '.corp.example') && retry_num > 0 && last_error == 'unexpected-reply'",
  "(rcpt_domain == 'corp.example' || ends_with(rcpt_domain, '.corp.example')) && retry_num > 0 && last_error == 'tls'",
  "mx == 'mx1.example.net' && retry_num > 2",
  "ends_with(mx, '.example.net') && retry_num > 0 && last_error == 'connection'",
];

const NAMES = [
  ["'invalid-tls'", "invalid-tls"],
  ["'default'", "default"],
  ['"o\'brien"', "o'brien"],
  ["'with space'", "with space"],
  ["'ünï'", "ünï"],
] as const;

describe("canonical texts round-trip byte for byte", () => {
  test.each(CANONICAL_CONDITIONS)("%s", (condition) => {
    for (const [then] of NAMES) {
      const row = recognise(condition, then);
      expect(row).not.toBeNull();
      expect(render(row as Row)).toEqual({ if: condition, then });
    }
  });

  test("every canonical text is one the server accepts", () => {
    const rules = CANONICAL_CONDITIONS.map((condition) => ({ if: condition, then: "'x'" }));
    expect(compileRules(rules, "'default'").ok).toBe(true);
  });

  test("rows read as the structure they mean", () => {
    expect(recognise("retry_num > 0 && last_error == 'tls'", "'invalid-tls'")).toEqual({
      when: { kind: "failure", error: "tls", retriesAbove: 0 },
      strategy: "invalid-tls",
    });
    expect(recogniseCondition(CANONICAL_CONDITIONS[13] ?? "")).toEqual({
      target: { kind: "domainAndSubdomains", domain: "corp.example" },
      when: { kind: "failure", error: "tls", retriesAbove: 0 },
    });
    expect(recogniseCondition("contains(['a.example', 'b.example'], rcpt_domain)")).toEqual({
      target: { kind: "domainList", domains: ["a.example", "b.example"] },
    });
  });

  test.each(NAMES)("else %s", (text, name) => {
    expect(recogniseElse(text)).toBe(name);
    expect(renderElse(name)).toBe(text);
  });
});

describe("anything else stays a text row", () => {
  test.each([
    "retry_num>0 && last_error=='tls'",
    "retry_num > 0 && last_error == 'tls' ",
    " retry_num > 0",
    "retry_num > 0  && last_error == 'tls'",
    "last_error == 'tls' && retry_num > 0",
    "retry_num > 00",
    "retry_num > -1",
    "retry_num >= 1",
    "retry_num > 0 && last_error == 'none'",
    "retry_num > 0 && last_error == 'TLS'",
    'retry_num > 0 && last_error == "tls"',
    "rcpt_domain == 'Example.com'",
    "rcpt_domain == 'bücher.de'",
    "rcpt_domain == '.example.com'",
    "rcpt_domain == 'example..com'",
    'rcpt_domain == "example.com"',
    "contains(['a.example'], rcpt_domain)",
    "contains(['a.example','b.example'], rcpt_domain)",
    "ends_with(rcpt_domain, 'example.com')",
    "rcpt_domain == 'a.example' || ends_with(rcpt_domain, '.b.example')",
    "rcpt_domain == 'a.example' || ends_with(rcpt_domain, '.a.example') && retry_num > 0",
    "(rcpt_domain == 'a.example' || ends_with(rcpt_domain, '.a.example'))",
    "(rcpt_domain == 'a.example') && retry_num > 0",
    "rcpt_domain == 'a.example' && mx == 'b.example'",
    "mx == 'MX.example.net'",
    "true",
    "is_local_domain(rcpt_domain)",
    "rcpt_domain in ['a.com']",
    "retry_num > 99999999999999999999",
  ])("%s", (condition) => {
    expect(recognise(condition, "'x'")).toBeNull();
  });

  test.each([
    "invalid-tls",
    "'a' + 'b'",
    "'a' ",
    '"plain"',
    "''",
    "'a\\b'",
    '"it\'s \\"x\\""',
    "disable",
    "1",
  ])("then %s", (then) => {
    expect(recogniseName(then)).toBeNull();
    expect(recognise("retry_num > 0", then)).toBeNull();
  });
});

describe("writing names", () => {
  test("quotes with ' unless the name holds one; refuses what cannot be written", () => {
    expect(renderName("plain")).toBe("'plain'");
    expect(renderName("o'brien")).toBe('"o\'brien"');
    expect(renderName("a\\b")).toBeUndefined();
    expect(renderName(`both ' and "`)).toBeUndefined();
    expect(renderName("")).toBeUndefined();
  });

  test("render refuses rows that have no canonical text", () => {
    const bad: Row[] = [
      { strategy: "x" },
      { target: { kind: "domain", domain: "Example.com" }, strategy: "x" },
      { target: { kind: "domainList", domains: ["a.example"] }, strategy: "x" },
      { when: { kind: "anyFailure", retriesAbove: -1 }, strategy: "x" },
      { when: { kind: "anyFailure", retriesAbove: 0 }, strategy: "a\\b" },
    ];
    for (const row of bad) expect(() => render(row)).toThrow(RangeError);
  });
});
