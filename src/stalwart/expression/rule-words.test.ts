import { expect, test } from "vitest";
import { ruleInWords, usedByInWords } from "./rule-words";
import { render } from "./rules-table";

test("a rule the table can show reads as words; any other keeps its texts", () => {
  expect(
    ruleInWords(render({ target: { kind: "domain", domain: "a.example" }, strategy: "relaxed" })),
  ).toBe("Mail to a.example uses relaxed");
  expect(
    ruleInWords(
      render({
        target: { kind: "mxUnder", suffix: "mail.example" },
        when: { kind: "failure", error: "tls", retriesAbove: 1 },
        strategy: "relaxed",
      }),
    ),
  ).toBe(
    "Mail through MX hosts under mail.example, from retry 2 on after a tls failure, uses relaxed",
  );
  expect(ruleInWords({ if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" })).toBe(
    "Any mail, on a retry after a tls failure, uses invalid-tls",
  );
  expect(
    ruleInWords(
      render({
        target: { kind: "domain", domain: "a.example" },
        when: { kind: "anyFailure", retriesAbove: 0 },
        strategy: "relaxed",
      }),
    ),
  ).toBe("Mail to a.example, on a retry, uses relaxed");
  expect(ruleInWords({ if: "rcpt_domain == 'Example.com'", then: "'invalid-tls'" })).toBe(
    "If rcpt_domain == 'Example.com' then 'invalid-tls'",
  );
});

test("the rules that name a strategy, numbered as the rules view numbers them, then Otherwise", () => {
  const tls = {
    rules: [
      render({ target: { kind: "domain", domain: "a.example" }, strategy: "relaxed" }),
      { if: "is_local_domain(rcpt_domain)", then: "'default'" },
      render({
        target: { kind: "domainList", domains: ["b.example", "c.example"] },
        strategy: "relaxed",
      }),
    ],
    else: "'relaxed'",
  };
  expect(usedByInWords(tls, { rules: [1, 3], otherwise: true })).toEqual([
    "Rule 1: Mail to a.example uses relaxed",
    "Rule 3: Mail to one of b.example, c.example uses relaxed",
    "Otherwise (mail no numbered rule applies to)",
  ]);
  expect(usedByInWords(tls, { rules: [2], otherwise: false })).toEqual([
    "Rule 2: If is_local_domain(rcpt_domain) then 'default'",
  ]);
});
