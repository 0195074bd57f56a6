import { describe, expect, test } from "vitest";
import { STRATEGY_DEFAULTS } from "../../../stalwart/tls-strategy";
import { formatDuration } from "./duration";

import {
  anchorField,
  RULES,
  reviewSave,
  reviewSecurity,
  type SecurityValues,
} from "./security-rules";

const safe: SecurityValues = { ...STRATEGY_DEFAULTS };
const ids = (values: Partial<SecurityValues>) =>
  reviewSecurity({ ...safe, ...values }).map((f) => f.id);
const only = (values: Partial<SecurityValues>, id: string) =>
  reviewSecurity({ ...safe, ...values }).find((finding) => finding.id === id);

describe("security review: one test per rule", () => {
  test("the defaults, and settings that only raise protection, raise nothing", () => {
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

  test("invalid certificates on their own are a warning: interception is no longer detected", () => {
    expect(only({ allowInvalidCerts: true }, "invalid-certificates")).toMatchObject({
      severity: "warning",
      fields: ["allowInvalidCerts"],
      message: expect.stringMatching(/intercept.*enforcing MTA-STS policy still have/),
    });
    expect(ids({ allowInvalidCerts: false })).toEqual([]);
  });

  test("STARTTLS Required with invalid certificates is a warning: only passive eavesdropping is stopped", () => {
    const values = { allowInvalidCerts: true, startTls: "require" } as const;
    expect(only(values, "invalid-certificates-with-starttls-required")).toMatchObject({
      severity: "warning",
      fields: ["startTls", "allowInvalidCerts"],
      message: expect.stringMatching(/passive eavesdropping/),
    });
    // One finding about the certificates, the most specific one.
    expect(ids(values)).toEqual(["invalid-certificates-with-starttls-required"]);
  });

  test("invalid certificates with DANE or MTA-STS Required is a warning: the requirement is weakened, testing-mode policies unchecked", () => {
    const finding = only(
      { allowInvalidCerts: true, mtaSts: "require" },
      "invalid-certificates-with-requirement",
    );
    expect(finding).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(/weakened.*enforcing MTA-STS policy.*testing mode/),
    });
    expect(ids({ allowInvalidCerts: true, dane: "require", startTls: "require" })).toEqual([
      "invalid-certificates-with-requirement",
      "dane-required",
    ]);
  });

  test("STARTTLS Disabled is a warning: mail leaves in plain text", () => {
    expect(only({ startTls: "disable" }, "starttls-disabled")).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(/plain text/),
    });
  });

  test("DANE Disabled is a warning: TLSA records are ignored", () => {
    expect(only({ dane: "disable" }, "dane-disabled")).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(/TLSA records.*ignored/),
    });
  });

  test("MTA-STS Disabled is a warning: domains' demands for TLS are ignored", () => {
    expect(only({ mtaSts: "disable" }, "mta-sts-disabled")).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(/policies.*ignored.*plain text/),
    });
  });

  test("DANE Required is a warning: no TLSA records means no mail; bogus answers defer; a non-validating resolver turns DANE off", () => {
    expect(only({ dane: "require" }, "dane-required")).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(
        /DNSSEC-signed TLSA records.*will not receive mail.*bogus.*defers.*cannot validate DNSSEC, Stalwart turns DANE off/,
      ),
    });
  });

  test.each([
    ["tlsTimeout", 4_999, /under 5s/],
    ["tlsTimeout", 3_600_001, /over 1h/],
    ["mtaStsTimeout", 500, /under 5s: a policy that is not fetched in time counts as missing/],
    ["mtaStsTimeout", 7_200_000, /over 1h/],
    ["mtaStsTimeout", 86_400_000, /1d, over 1h/],
  ] as const)("%s of %d ms is an unusual-timeout warning", (field, ms, message) => {
    expect(only({ [field]: ms }, `${field}-unusual`)).toMatchObject({
      severity: "warning",
      message: expect.stringMatching(message),
    });
  });

  test.each([
    ["tlsTimeout", 86_400_001],
    ["mtaStsTimeout", 100_000 * 86_400_000],
    ["tlsTimeout", 2 ** 53 - 1],
  ] as const)("%s of %d ms, over a day, is an error that names the value", (field, ms) => {
    const finding = only({ [field]: ms }, `${field}-absurd`);
    expect(finding).toMatchObject({ severity: "error", fields: [field] });
    expect(finding?.message).toContain(formatDuration(ms));
    expect(finding?.message).toMatch(/over a day/);
  });

  test("a timeout over a day is refused when a save introduces it, never when it was stored", () => {
    const stored = { ...safe, tlsTimeout: 100_000 * 86_400_000 };
    expect(reviewSave(stored, null, stored).blocking.map((f) => f.id)).toEqual([
      "tlsTimeout-absurd",
    ]);
    const edited = { ...stored, startTls: "require" as const };
    expect(reviewSave(edited, stored, edited).blocking).toEqual([]);
  });

  test("every setting that lowers protection from the defaults raises at least a warning", () => {
    const lowering: Partial<SecurityValues>[] = [
      { startTls: "disable" },
      { dane: "disable" },
      { mtaSts: "disable" },
      { allowInvalidCerts: true },
      { tlsTimeout: 1_000 },
      { mtaStsTimeout: 1_000 },
    ];
    for (const values of lowering) expect(ids(values).length).toBeGreaterThan(0);
  });

  test("every finding names only the fields that cause it, and sits beside the last of them", () => {
    expect(RULES.length).toBeGreaterThan(0);
    const onlyDane = only(
      { startTls: "disable", dane: "require" },
      "starttls-disabled-with-requirement",
    );
    expect(onlyDane?.fields).toEqual(["startTls", "dane"]);
    const onlyMtaSts = only(
      { allowInvalidCerts: true, mtaSts: "require" },
      "invalid-certificates-with-requirement",
    );
    expect(onlyMtaSts?.fields).toEqual(["allowInvalidCerts", "mtaSts"]);
    const finding = only(
      { allowInvalidCerts: true, dane: "require" },
      "invalid-certificates-with-requirement",
    );
    expect(finding && anchorField(finding)).toBe("allowInvalidCerts");
    const error = only(
      { startTls: "disable", mtaSts: "require" },
      "starttls-disabled-with-requirement",
    );
    expect(error && anchorField(error)).toBe("startTls");
  });
});

describe("reviewSave: what is saved is what was reviewed", () => {
  const all = (values: Partial<SecurityValues>) => ({ ...safe, ...values });

  test("a create confirms every warning and is blocked by every error", () => {
    const review = reviewSave(all({ dane: "require" }), null, all({ dane: "require" }));
    expect(review.toConfirm.map((f) => f.id)).toEqual(["dane-required"]);
    expect(review.blocking).toEqual([]);
    const blocked = reviewSave(
      all({ startTls: "disable", mtaSts: "require" }),
      null,
      all({ startTls: "disable", mtaSts: "require" }),
    );
    expect(blocked.blocking.map((f) => f.id)).toEqual(["starttls-disabled-with-requirement"]);
  });

  test("warnings already stored and seen on screen are not asked again", () => {
    const invalidTls = all({ allowInvalidCerts: true });
    const review = reviewSave(invalidTls, invalidTls, invalidTls);
    expect(review.findings.map((f) => f.id)).toEqual(["invalid-certificates"]);
    expect(review.toConfirm).toEqual([]);
  });

  test("a warning whose message changes (a shorter timeout) is asked again", () => {
    const review = reviewSave(
      all({ tlsTimeout: 1_000 }),
      all({ tlsTimeout: 2_000 }),
      all({ tlsTimeout: 1_000 }),
    );
    expect(review.toConfirm.map((f) => f.id)).toEqual(["tlsTimeout-unusual"]);
  });

  test("another admin's STARTTLS Disabled merged with my DANE Required is blocked, though neither alone was", () => {
    const theirs = all({ startTls: "disable" });
    const mine = all({ dane: "require" });
    const merged = all({ startTls: "disable", dane: "require" });
    const review = reviewSave(merged, theirs, mine);
    expect(review.blocking.map((f) => f.id)).toEqual(["starttls-disabled-with-requirement"]);
  });

  test("a warning someone else stored, never seen on screen, is confirmed before saving over it", () => {
    const theirs = all({ startTls: "disable" });
    const mine = all({});
    const review = reviewSave(theirs, theirs, mine);
    expect(review.toConfirm.map((f) => f.id)).toEqual(["starttls-disabled"]);
  });

  test("an error already stored (made through the API) does not make the strategy unsavable", () => {
    const stored = all({ startTls: "disable", dane: "require" });
    const review = reviewSave(stored, stored, stored);
    expect(review.blocking).toEqual([]);
    expect(review.toConfirm).toEqual([]);
    expect(review.findings.some((f) => f.severity === "error")).toBe(true);
  });
});
