import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CertKind } from "../test-world/pki";
import type { SmtpBehaviour } from "../test-world/servers";
import { startTestWorld, type TestWorld } from "../test-world/world";
import { probeAddress } from "./smtp-probe";

// The SMTP/STARTTLS probe against real servers on loopback: smtp-server with each certificate
// case, and the stub's misbehaviours. Every step is bounded by the short test timeouts.

const certs: CertKind[] = ["valid", "wrong-name", "expired", "self-signed", "untrusted"];
const stubs: Record<string, SmtpBehaviour> = {
  plain: { kind: "plain" },
  "starttls-454": { kind: "starttls-reply", code: 454 },
  "starttls-554": { kind: "starttls-reply", code: 554 },
  "starttls-slow": { kind: "starttls-reply", code: 220, delayMs: 5_000 },
  silent: { kind: "silent" },
  drip: { kind: "drip" },
  greeting554: { kind: "greeting", code: 554 },
  garbage: { kind: "garbage-after-greeting" },
  "tls-garbage": { kind: "tls-garbage" },
  refused: { kind: "refuse" },
};

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld({
    domains: [
      {
        name: "probe.test",
        hosts: [
          ...certs.map((cert) => ({
            name: `${cert}.probe.test`,
            smtp: { kind: "starttls" as const },
            cert,
          })),
          ...Object.entries(stubs).map(([name, smtp]) => ({ name: `${name}.probe.test`, smtp })),
        ],
      },
    ],
  });
}, 30_000);
afterAll(async () => {
  await world?.stop();
});

function probe(name: string) {
  const host = `${name}.probe.test`;
  return probeAddress({
    host,
    address: world.addresses[host]?.[0] ?? "",
    port: world.smtpPort,
    ehloName: "probe.test",
    timeouts: world.config().timeouts,
    ca: [world.caPem],
  });
}

describe("certificates: the handshake passes with checks off, the PKI verdict is separate", () => {
  test.each([
    ["valid", { ok: true }],
    ["wrong-name", { ok: false, reason: "NotValidForName" }],
    ["expired", { ok: false, reason: "Expired" }],
    ["self-signed", { ok: false, reason: "UnknownIssuer" }],
    ["untrusted", { ok: false, reason: "UnknownIssuer" }],
  ])("%s", async (cert, pki) => {
    const { facts, chain } = await probe(cert);
    expect(facts).toMatchObject({
      connect: { ok: true },
      greeting: { outcome: "reply", code: 220 },
      ehlo: { code: 250, capabilities: expect.arrayContaining(["STARTTLS"]) },
      startTls: { code: 220 },
      tls: { outcome: "ok", protocol: expect.stringMatching(/^TLSv1\.[23]$/), pki },
      done: true,
    });
    expect(chain.length).toBeGreaterThan(0);
    expect(facts.tls?.chain[0]?.subjectAltNames.length).toBeGreaterThan(0);
  });
});

describe("misbehaving servers end in a clear fact", () => {
  test("no STARTTLS advertised", async () => {
    const { facts } = await probe("plain");
    expect(facts.ehlo?.capabilities).not.toContain("STARTTLS");
    expect(facts.startTls).toBeUndefined();
  });
  test.each([
    ["starttls-454", 454],
    ["starttls-554", 554],
  ])("%s", async (name, code) => {
    const { facts } = await probe(name);
    expect(facts).toMatchObject({
      startTls: {
        outcome: "reply",
        code,
        lines: ["4.7.0 TLS not available".replace("4", String(code)[0] ?? "4")],
      },
    });
    expect(facts.tls).toBeUndefined();
  });
  test("a STARTTLS reply slower than the probe's limit: timeout", async () => {
    const { facts } = await probe("starttls-slow");
    expect(facts.startTls).toMatchObject({ outcome: "timeout", error: "timed out after 1 s" });
  });
  test("silence: the greeting times out", async () => {
    const { facts } = await probe("silent");
    expect(facts.greeting).toMatchObject({ outcome: "timeout", error: "timed out after 1 s" });
  });
  test("one byte a second: the greeting times out all the same", async () => {
    const started = performance.now();
    const { facts } = await probe("drip");
    expect(facts.greeting).toMatchObject({ outcome: "timeout" });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
  test("greeting 554", async () => {
    expect((await probe("greeting554")).facts.greeting).toMatchObject({
      outcome: "reply",
      code: 554,
      lines: ["5.7.1 go away"],
    });
  });
  test("garbage after 220: the EHLO reply is unparseable", async () => {
    expect((await probe("garbage")).facts.ehlo).toMatchObject({ outcome: "unparseable" });
  });
  test("a TLS peer that speaks garbage: the handshake fails with OpenSSL's reason", async () => {
    expect((await probe("tls-garbage")).facts.tls).toMatchObject({
      outcome: "failed",
      error: expect.stringMatching(/version|packet|record/),
    });
  });
  test("connection refused, in Stalwart's words", async () => {
    expect((await probe("refused")).facts.connect).toMatchObject({
      ok: false,
      timedOut: false,
      error: "I/O error: Connection refused (os error 111)",
    });
  });
});
