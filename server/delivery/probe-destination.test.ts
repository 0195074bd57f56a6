import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TLS_STRATEGY_DEFAULTS } from "../../src/jmap/protocol";
import { decideFor } from "../../src/stalwart/delivery/decide";
import { factsSchema } from "../../src/stalwart/delivery/facts";
import {
  type DeliveryFrame,
  factsFromFrames,
  frameSchema,
} from "../../src/stalwart/delivery/frames";
import { ProbeInputError, probeDestination, probeFrames } from "./probe-destination";
import { STORIES } from "./test-world/scenarios";
import { startTestWorld, type TestWorld } from "./test-world/world";

// The one-pass collector against the story world: frames, timing, concurrency, the deadline,
// the Stop button, the address filter and target validation.

const DEFAULT = { name: "default", ...TLS_STRATEGY_DEFAULTS };
const INVALID_TLS = { ...DEFAULT, name: "invalid-tls", allowInvalidCerts: true };

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld({
    ...STORIES,
    domains: [
      ...STORIES.domains,
      {
        name: "slow-two.test",
        mx: [
          { preference: 10, host: "mx1.slow-two.test" },
          { preference: 10, host: "mx2.slow-two.test" },
        ],
        hosts: [
          { name: "mx1.slow-two.test", smtp: { kind: "starttls-reply", code: 454, delayMs: 700 } },
          { name: "mx2.slow-two.test", smtp: { kind: "starttls-reply", code: 454, delayMs: 700 } },
        ],
      },
      {
        name: "slow-one.test",
        mx: [{ preference: 10, host: "mx.slow-one.test" }],
        hosts: [
          { name: "mx.slow-one.test", smtp: { kind: "starttls-reply", code: 454, delayMs: 700 } },
        ],
      },
    ],
  });
}, 30_000);
afterAll(async () => {
  await world?.stop();
});

async function collect(input: string, options: Parameters<typeof probeDestination>[2] = {}) {
  const frames: { frame: DeliveryFrame; at: number }[] = [];
  const started = performance.now();
  const facts = await probeDestination(input, world.config(), {
    ...options,
    onFrame: (frame) => frames.push({ frame, at: performance.now() - started }),
  });
  return { facts, frames, elapsed: performance.now() - started };
}

describe("the stream", () => {
  test("every frame parses, the first fact comes within 100 ms, done comes last", async () => {
    const { facts, frames } = await collect("pki.test");
    for (const { frame } of frames) expect(frameSchema.safeParse(frame).success).toBe(true);
    expect(frames[0]?.frame.type).toBe("start");
    const firstFact = frames.find(({ frame }) => ["resolver", "mtaSts", "mx"].includes(frame.type));
    expect(firstFact?.at).toBeLessThan(100);
    expect(frames.at(-1)?.frame).toMatchObject({ type: "done", status: "complete" });
    expect(factsSchema.safeParse(facts).success).toBe(true);
  });
  test("the frames rebuild exactly the facts returned", async () => {
    const { facts, frames } = await collect("two-mx.test");
    expect(factsFromFrames(frames.map((f) => f.frame))).toEqual(facts);
    expect(facts.hosts.map((h) => h.name)).toEqual(["mx1.two-mx.test", "mx2.two-mx.test"]);
  });
  test("partial facts decide as pending", async () => {
    const { frames } = await collect("pki.test");
    const early = factsFromFrames(frames.slice(0, 2).map((f) => f.frame));
    expect(early && decideFor(DEFAULT, early).kind).toBe("pending");
  });
  test("probeFrames yields the same stream as an async generator", async () => {
    const types: string[] = [];
    for await (const frame of probeFrames("plain.test", world.config())) types.push(frame.type);
    expect(types[0]).toBe("start");
    expect(types.at(-1)).toBe("done");
    expect(types).toContain("address");
  });
});

describe("the stories", () => {
  test.each([
    ["pki.test", DEFAULT, { kind: "verified", by: "pki" }],
    ["dane.test", DEFAULT, { kind: "verified", by: "dane" }],
    ["plain.test", DEFAULT, { kind: "plaintext", why: "starttls-not-advertised" }],
    [
      "badcert.test",
      DEFAULT,
      {
        kind: "deferred",
        error: { text: "Handshake failed: invalid peer certificate: UnknownIssuer" },
      },
    ],
    ["badcert.test", INVALID_TLS, { kind: "tls-unchecked", pkiWouldPass: false }],
    [
      "enforce.test",
      DEFAULT,
      { kind: "bounced", error: { text: 'MX "mx.enforce.test" not authorized by policy.' } },
    ],
    ["sts.test", DEFAULT, { kind: "verified", by: "pki" }],
    [
      "nosts.test",
      { ...DEFAULT, mtaSts: "require" },
      { kind: "bounced", error: { text: "Record not found: NXDomain" } },
    ],
    [
      "nodnssec.test",
      { ...DEFAULT, dane: "require" },
      { kind: "bounced", error: { text: "No TLSA DNSSEC records found" } },
    ],
    [
      "two-mx.test",
      { ...DEFAULT, startTls: "require" },
      { kind: "verified", host: "mx2.two-mx.test" },
    ],
    ["greeting554.test", DEFAULT, { kind: "bounced", error: { kind: "UnexpectedResponse" } }],
    [
      "nullmx.test",
      DEFAULT,
      { kind: "bounced", error: { text: "Domain does not accept messages (null MX)" } },
    ],
  ] as const)("%s", async (domain, strategy, expected) => {
    const { facts } = await collect(domain);
    expect(decideFor(strategy, facts)).toMatchObject(expected);
  });
  test("a resolver that cannot validate turns DANE off", async () => {
    const blind = await startTestWorld("non-validating");
    try {
      const facts = await probeDestination("dane.test", blind.config());
      expect(facts.resolver).toMatchObject({ validates: false });
      expect(decideFor(DEFAULT, facts)).toMatchObject({
        kind: "deferred",
        error: { kind: "TlsError" },
      });
      expect(decideFor({ ...DEFAULT, dane: "require" }, facts)).toMatchObject({
        kind: "bounced",
        error: { text: "No TLSA DNSSEC records found" },
      });
    } finally {
      await blind.stop();
    }
  });
});

describe("time, concurrency and stopping", () => {
  test("two slow MX hosts take about as long as one", async () => {
    const one = await collect("slow-one.test");
    const two = await collect("slow-two.test");
    expect(two.facts.hosts.every((h) => h.addresses[0]?.startTls?.code === 454)).toBe(true);
    expect(one.elapsed).toBeGreaterThan(650);
    expect(two.elapsed).toBeLessThan(one.elapsed + 400);
  });
  test("the deadline ends the probe whatever is still running", async () => {
    const { facts, elapsed } = await collect("silent.test", { deadlineMs: 300 });
    expect(facts).toMatchObject({ status: "stopped", stopReason: "the deadline of 300 ms passed" });
    expect(elapsed).toBeLessThan(600);
    expect(decideFor(DEFAULT, facts)).toMatchObject({
      kind: "unknown",
      reason: expect.stringMatching(/deadline/),
    });
  });
  test("aborting the signal (client gone, Stop) ends it at once", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { facts, elapsed } = await collect("drip.test", { signal: controller.signal });
    expect(facts).toMatchObject({ status: "stopped", stopReason: "stopped by the client" });
    expect(elapsed).toBeLessThan(300);
  });
});

describe("the address filter and the target", () => {
  test("loopback addresses are refused and named unless PROBE_PRIVATE_ADDRESSES=1", async () => {
    const facts = await probeDestination(
      "pki.test",
      world.config({}, { privateAddressesAllowed: false }),
    );
    expect(facts.source.privateAddressesAllowed).toBe(false);
    expect(facts.hosts[0]?.addresses[0]).toMatchObject({
      refused: expect.stringContaining("loopback"),
      done: true,
    });
    expect(decideFor(DEFAULT, facts)).toMatchObject({
      kind: "bounced",
      error: { text: "host resolves loopback address" },
    });
  });
  test("an address: its domain is probed, the address kept", async () => {
    const { facts } = await collect("Someone@PKI.test");
    expect(facts.target).toEqual({
      input: "Someone@PKI.test",
      domain: "pki.test",
      address: "Someone@pki.test",
    });
  });
  test("an IDN is probed as its A-label", async () => {
    const { facts } = await collect("bücher.test");
    expect(facts.target.domain).toBe("xn--bcher-kva.test");
    expect(facts.mx).toMatchObject({ outcome: "nxdomain", isImplicit: true });
  });
  test.each(["192.0.2.1", "[::1]", "localhost", "a b.test", `${"a".repeat(250)}.test`, ""])(
    "refused: %j",
    async (input) => {
      const frames: DeliveryFrame[] = [];
      await expect(
        probeDestination(input, world.config(), { onFrame: (f) => frames.push(f) }),
      ).rejects.toBeInstanceOf(ProbeInputError);
      expect(frames).toEqual([{ type: "error", text: expect.any(String) }]);
    },
  );
});
