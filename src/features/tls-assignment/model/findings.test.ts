import { describe, expect, test } from "vitest";
import { draftFromRules } from "./drafts";
import { findingsOf } from "./findings";

const STRATEGIES = ["default", "invalid-tls"];

describe("findings on their rows", () => {
  test("a parse error carries the server's message and the position in its text", () => {
    const draft = draftFromRules({
      rules: [
        { if: "retry_num > 0", then: "'invalid-tls'" },
        { if: "rcpt_domain == example.com", then: "'invalid-tls'" },
      ],
      else: "'default'",
    });
    const findings = findingsOf(draft, STRATEGIES);
    expect(findings.hasErrors).toBe(true);
    expect(findings.rules[1]).toContainEqual(
      expect.objectContaining({
        severity: "error",
        field: "if",
        message:
          "Error parsing 'if' expression in condition #2: Invalid variable or constant \"example.com\"",
        position: 15,
      }),
    );
  });

  test("a name no strategy has, and an unreachable rule naming the rule that shadows it", () => {
    const draft = draftFromRules({
      rules: [
        { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" },
        { if: "retry_num > 1 && last_error == 'tls'", then: "'no-such'" },
      ],
      else: "'default'",
    });
    const findings = findingsOf(draft, STRATEGIES);
    expect(findings.hasErrors).toBe(false);
    const codes = findings.rules[1]?.map((finding) => finding.code);
    expect(codes).toContain("unknown-strategy");
    expect(findings.rules[1]?.find((f) => f.code === "unreachable")?.message).toMatch(
      /rule 1 comes first/,
    );
  });

  test("with the strategies unreadable, names are not flagged as missing", () => {
    const draft = draftFromRules({
      rules: [{ if: "rcpt_domain == 'x.example'", then: "'no-such'" }],
      else: "'default'",
    });
    expect(findingsOf(draft, STRATEGIES).rules[0]?.map((f) => f.code)).toContain(
      "unknown-strategy",
    );
    expect(findingsOf(draft, null).rules[0]?.map((f) => f.code)).not.toContain("unknown-strategy");
  });

  test("a row that cannot be written keeps the other rows' numbers", () => {
    const draft = draftFromRules({
      rules: [
        { if: "rcpt_domain == 'a.example'", then: "'default'" },
        { if: "rcpt_domain == 'b.example'", then: "'default'" },
        { if: "rcpt_domain == 'b.example'", then: "'invalid-tls'" },
      ],
      else: "'default'",
    });
    const first = draft.rules[0];
    if (first?.kind === "table") first.names = "A.example";
    const findings = findingsOf(draft, STRATEGIES);
    expect(findings.rules[0]?.map((f) => f.code)).toEqual(["cannot-write"]);
    expect(findings.rules[2]?.find((f) => f.code === "unreachable")?.message).toMatch(
      /rule 2 comes first/,
    );
  });

  test("a value that is not a quoted name, and an Otherwise that does not parse", () => {
    const draft = draftFromRules({ rules: [{ if: "true", then: "disable" }], else: "default" });
    const findings = findingsOf(draft, STRATEGIES);
    expect(findings.rules[0]?.map((f) => f.code)).toContain("bare-setting-word");
    expect(findings.otherwise[0]?.message).toBe(
      "Error parsing 'else' expression: Invalid variable or constant \"default\"",
    );
  });
});
