import { describe, expect, test } from "vitest";
import {
  draftFromRules,
  draftOf,
  draftProblems,
  exceptionPosition,
  moveRule,
  type RuleDraft,
  removeRule,
  rulesOf,
  type TableDraft,
  withException,
} from "./drafts";

const DEFAULT_TLS = {
  rules: [{ if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" }],
  else: "'default'",
};

const table = (rule: { if: string; then: string }) => draftOf(rule) as TableDraft;

describe("rows ↔ expression", () => {
  test("the built-in default reads as a table row and an Otherwise strategy, and writes back as it was", () => {
    const draft = draftFromRules(DEFAULT_TLS);
    expect(draft.rules[0]).toMatchObject({
      kind: "table",
      destination: "anywhere",
      when: "failure",
      error: "tls",
      retriesAbove: "0",
      strategy: "invalid-tls",
    });
    expect(draft.otherwise).toEqual({ kind: "table", strategy: "default" });
    expect(rulesOf(draft)).toEqual(DEFAULT_TLS);
  });

  test("a text that is not byte-for-byte canonical stays a text row, verbatim", () => {
    const tls = {
      rules: [
        { if: "retry_num>0 && last_error=='tls'", then: "'invalid-tls'" },
        { if: "is_local_domain(rcpt_domain)", then: "'local'" },
        { if: "rcpt_domain == 'a.example'", then: "'x' + 'y'" },
      ],
      else: "'de' + 'fault'",
    };
    const draft = draftFromRules(tls);
    expect(draft.rules.map((rule) => rule.kind)).toEqual(["text", "text", "text"]);
    expect(draft.otherwise).toEqual({ kind: "text", text: "'de' + 'fault'" });
    expect(rulesOf(draft)).toEqual(tls);
  });

  test("every canonical form round-trips through a table row", () => {
    const rules = [
      { if: "rcpt_domain == 'legacy.example'", then: "'no-tls'" },
      { if: "contains(['a.example', 'b.example'], rcpt_domain)", then: "'no-tls'" },
      { if: "ends_with(rcpt_domain, '.corp.example')", then: "'strict'" },
      {
        if: "(rcpt_domain == 'corp.example' || ends_with(rcpt_domain, '.corp.example')) && retry_num > 2 && last_error == 'dane'",
        then: '"o\'brien"',
      },
      { if: "mx == 'mx.example.net'", then: "'high'" },
      { if: "ends_with(mx, '.example.net') && retry_num > 3", then: "'high'" },
    ];
    const draft = draftFromRules({ rules, else: "'default'" });
    expect(draft.rules.every((rule) => rule.kind === "table")).toBe(true);
    expect(rulesOf(draft)?.rules).toEqual(rules);
  });

  test("a table row with capitals or a non-ASCII domain is not written, and offers the form that matches", () => {
    const row = { ...table({ if: "rcpt_domain == 'a.example'", then: "'x'" }), names: "Bücher.DE" };
    const [problem] = draftProblems(row);
    expect(problem).toMatchObject({ field: "names", fix: "xn--bcher-kva.de" });
    expect(problem?.message).toMatch(/'Bücher\.DE' never matches/);
    expect(rulesOf({ rules: [row], otherwise: { kind: "table", strategy: "d" } })).toBeNull();
  });

  test("a row with neither destination nor failure, a bad count or no strategy is not written", () => {
    const row = table(DEFAULT_TLS.rules[0] as { if: string; then: string });
    expect(draftProblems({ ...row, when: "always" }).map((p) => p.field)).toEqual(["destination"]);
    expect(draftProblems({ ...row, retriesAbove: "01" }).map((p) => p.field)).toEqual([
      "retriesAbove",
    ]);
    expect(draftProblems({ ...row, strategy: "" }).map((p) => p.field)).toEqual(["strategy"]);
    expect(draftProblems({ ...row, strategy: "a\\b" }).map((p) => p.field)).toEqual(["strategy"]);
  });
});

describe("moving and removing rows", () => {
  test("a rule moves one place up or down, never past either end", () => {
    expect(moveRule(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moveRule(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveRule(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moveRule(["a", "b", "c"], 2, 1)).toEqual(["a", "b", "c"]);
    expect(removeRule(["a", "b", "c"], 1)).toEqual(["a", "c"]);
  });
});

describe("where an exception goes", () => {
  const rules: RuleDraft[] = [
    draftOf({ if: "rcpt_domain == 'other.example'", then: "'x'" }),
    draftOf({ if: "ends_with(rcpt_domain, '.elsewhere.example')", then: "'x'" }),
    draftOf({ if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" }),
    draftOf({ if: "rcpt_domain == 'partner.example'", then: "'y'" }),
  ];

  test("before the first rule that may catch its mail, after the rules about other domains", () => {
    expect(exceptionPosition(rules, "partner.example")).toBe(2);
  });

  test("before a rule about the same domain or a parent domain", () => {
    expect(exceptionPosition(rules.slice(3), "partner.example")).toBe(0);
    expect(exceptionPosition(rules.slice(1), "a.elsewhere.example")).toBe(0);
  });

  test("before a text rule or an MX rule, which may catch anything", () => {
    expect(exceptionPosition([draftOf({ if: "true", then: "'x'" })], "p.example")).toBe(0);
    expect(
      exceptionPosition([draftOf({ if: "mx == 'mx.p.example'", then: "'x'" })], "p.example"),
    ).toBe(0);
  });

  test("at the end when nothing may catch it, and as a canonical rule", () => {
    const draft = withException(
      { rules: rules.slice(0, 2), otherwise: { kind: "table", strategy: "default" } },
      "p.example",
      "relaxed",
    );
    expect(rulesOf(draft)?.rules[2]).toEqual({
      if: "rcpt_domain == 'p.example'",
      then: "'relaxed'",
    });
  });
});
