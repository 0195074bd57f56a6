import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TLS_STRATEGY_DEFAULTS } from "../../../src/jmap/protocol";
import { decideFor } from "../../../src/stalwart/delivery/decide";
import { probeDestination } from "../probe-destination";
import type { CertKind } from "../test-world/pki";
import { startTestWorld, type TestWorld, type TlsaForm } from "../test-world/world";
import { matchDane } from "./dane";

// DANE-EE and DANE-TA matching on real handshakes: each TLSA form against certificates the
// world's PKI issued, through the whole probe and the decision.

const cases: [name: string, cert: CertKind, forms: TlsaForm[], by: "ee" | "ta" | null][] = [
  ["ee311", "self-signed", ["3 1 1"], "ee"],
  ["ee301", "untrusted", ["3 0 1"], "ee"],
  ["ta201", "valid", ["2 0 1"], "ta"],
  ["ta210", "valid", ["2 1 0"], "ta"],
  ["ee-wrong-name", "wrong-name", ["3 1 1"], "ee"],
  ["ee-expired", "expired", ["3 1 1"], "ee"],
  ["ta-wrong-name", "wrong-name", ["2 0 1"], null],
  ["ta-expired", "expired", ["2 0 1"], null],
  ["ta-untrusted", "untrusted", ["2 0 1"], null],
];

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld({
    domains: [
      ...cases.map(([name, cert, forms]) => ({
        name: `${name}.dane`,
        mx: [{ preference: 10, host: `mx.${name}.dane` }],
        mxEntry: { ad: true },
        hosts: [
          { name: `mx.${name}.dane`, smtp: { kind: "starttls" as const }, cert, tlsa: { forms } },
        ],
      })),
      {
        name: "mismatch.dane",
        mx: [{ preference: 10, host: "mx.mismatch.dane" }],
        mxEntry: { ad: true },
        hosts: [
          {
            name: "mx.mismatch.dane",
            smtp: { kind: "starttls" as const },
            tlsa: {
              forms: [],
              extra: [{ usage: 3, selector: 1, matchingType: 1, certificate: Buffer.alloc(32) }],
            },
          },
        ],
      },
    ],
  });
}, 30_000);
afterAll(async () => {
  await world?.stop();
});

const DEFAULT = { name: "default", ...TLS_STRATEGY_DEFAULTS };

describe("each TLSA form against a real handshake", () => {
  test.each(cases)("%s (%s certificate, %j)", async (name, _cert, _forms, by) => {
    const facts = await probeDestination(`${name}.dane`, world.config());
    const address = facts.hosts[0]?.addresses[0];
    expect(address?.dane).toMatchObject(by ? { outcome: "match", by } : { outcome: "no-match" });
    const outcome = decideFor(DEFAULT, facts);
    expect(outcome).toMatchObject(
      by
        ? { kind: "verified", by: "dane" }
        : { kind: "bounced", error: { text: "No matching certificates found in TLSA records" } },
    );
  });
  test("a record that matches nothing: PERM", async () => {
    const facts = await probeDestination("mismatch.dane", world.config());
    expect(decideFor(DEFAULT, facts)).toMatchObject({
      kind: "bounced",
      error: { kind: "DaneError", temporary: false },
    });
  });
});

describe("table E edge cases", () => {
  test("no certificates", () => {
    expect(matchDane([], [], ["mx.test"])).toMatchObject({ outcome: "no-certificates" });
  });
  test("a certificate that does not parse", () => {
    expect(matchDane([Buffer.from("not a certificate")], [], ["mx.test"])).toMatchObject({
      outcome: "parse-error",
    });
  });
  test("DANE-TA by the recipient domain's name (reference ids [H, domain])", async () => {
    const leaf = await world.pki.leaf(["example.test"], "valid");
    const ta = { usage: 2, selector: 0, matchingType: 0, data: world.pki.ca.der.toString("hex") };
    expect(matchDane([leaf.der], [ta], ["mx.other.test", "example.test"])).toMatchObject({
      outcome: "match",
      by: "ta",
    });
    expect(matchDane([leaf.der], [ta], ["mx.other.test"])).toMatchObject({ outcome: "no-match" });
  });
});
