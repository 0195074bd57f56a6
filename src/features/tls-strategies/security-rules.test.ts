import { describe, expect, test } from "vitest";
import { STRATEGY_DEFAULTS } from "./schema";
import { reviewSecurity, type SecurityValues } from "./security-rules";

const safe: SecurityValues = { ...STRATEGY_DEFAULTS };
const ids = (values: Partial<SecurityValues>) =>
  reviewSecurity({ ...safe, ...values }).map((f) => f.id);
const only = (values: Partial<SecurityValues>, id: string) =>
  reviewSecurity({ ...safe, ...values }).find((finding) => finding.id === id);

describe("security review", () => {
  test("the defaults raise nothing", () => {
    expect(reviewSecurity(safe)).toEqual([]);
    expect(
      ids({ startTls: "require", mtaSts: "require", tlsTimeout: 5_000, mtaStsTimeout: 3_600_000 }),
    ).toEqual([]);
  });

  test("STARTTLS Disabled with DANE or MTA-STS Required is an error: such mail can never be delivered", () => {
    for (const values of [{ dane: "require" }, { mtaSts: "require" }] as const) {
      const finding = only(
        { startTls: "disable", ...values },
        "starttls-disabled-with-requirement",
      );
      expect(finding?.severity).toBe("error");
      expect(finding?.message).toMatch(/can never be delivered/);
    }
    expect(
      only(
        { startTls: "disable", dane: "require", mtaSts: "require" },
        "starttls-disabled-with-requirement",
      )?.message,
    ).toMatch(/DANE and MTA-STS are Required/);
    expect(ids({ startTls: "disable" })).not.toContain("starttls-disabled-with-requirement");
  });

  test("allowing invalid certificates with DANE or MTA-STS Required is a warning: the requirement is weakened", () => {
    const finding = only(
      { allowInvalidCerts: true, mtaSts: "require" },
      "invalid-certificates-with-requirement",
    );
    expect(finding).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(/weakened/),
    });
    expect(ids({ allowInvalidCerts: true })).toEqual([]);
  });

  test("STARTTLS Disabled is a warning: mail leaves in plain text", () => {
    expect(only({ startTls: "disable" }, "starttls-disabled")).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(/plain text/),
    });
  });

  test("DANE Required is a warning: domains without DNSSEC/TLSA records will not receive mail", () => {
    expect(only({ dane: "require" }, "dane-required")).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(/DNSSEC-signed TLSA records.*will not receive mail/),
    });
  });

  test.each([
    ["tlsTimeout", 4_999, /under 5s/],
    ["tlsTimeout", 3_600_001, /over 1h/],
    ["mtaStsTimeout", 500, /under 5s/],
    ["mtaStsTimeout", 172_800_000, /over 1h/],
  ] as const)("%s of %d ms is an unusual-timeout warning", (field, ms, message) => {
    expect(only({ [field]: ms }, `${field}-unusual`)).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(message),
    });
  });
});
