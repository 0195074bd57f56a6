import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ProbeInputError } from "../probe-destination";
import { STORIES } from "../test-world/scenarios";
import { startTestWorld, type TestWorld } from "../test-world/world";
import { formatSseFrame, type LiveEvent, liveDeliveryTest } from "./live-test";
import { expectedFrames, LIVE_EXTRA_DOMAINS, LIVE_TARGETS, zeroElapsed } from "./live-vectors";

// Stalwart's live delivery test rebuilt on the collectors: one check per event type, the SSE
// frame compared byte for byte with the layout of the shared delivery reference §3 (elapsed
// times, which vary, are set to 0 first).

let world: TestWorld;
/** Every distinct frame seen, per event type. */
const frames = new Map<string, Set<string>>();
const sequences = new Map<string, string[]>();

beforeAll(async () => {
  world = await startTestWorld({ domains: [...STORIES.domains, ...LIVE_EXTRA_DOMAINS] });
  const config = world.config();
  await Promise.all(
    LIVE_TARGETS.map(async (target) => {
      const seen: string[] = [];
      for await (const event of liveDeliveryTest(target, config, { timeoutMs: 1_000 })) {
        const frame = zeroElapsed(formatSseFrame(event));
        seen.push(event.type);
        frames.set(event.type, (frames.get(event.type) ?? new Set()).add(frame));
      }
      sequences.set(target, seen);
    }),
  );
}, 60_000);
afterAll(async () => {
  await world?.stop();
});

const ip = (host: string) => world.addresses[host]?.[0] ?? "";

describe("one frame per event type, byte for byte", () => {
  const types = Object.keys(expectedFrames(() => "")) as LiveEvent["type"][];
  test.each(types)("%s", (type) => {
    const want = expectedFrames(ip)[type];
    const got = [...(frames.get(type) ?? [])];
    if (want instanceof RegExp) expect(got.filter((f) => want.test(f))).not.toEqual([]);
    else expect(got).toContain(want);
  });
});

describe("how the test walks, as diagnose.rs does", () => {
  test("a bare domain: STARTTLS with PKI, EHLO again, QUIT, then completed", () => {
    expect(sequences.get("pki.test")).toEqual([
      "mxLookupStart",
      "mxLookupSuccess",
      "mtaStsFetchStart",
      "mtaStsNotFound",
      "tlsRptLookupStart",
      "tlsRptNotFound",
      "deliveryAttemptStart",
      "tlsaLookupStart",
      "tlsaNotFound",
      "ipLookupStart",
      "ipLookupSuccess",
      "connectionStart",
      "connectionSuccess",
      "readGreetingStart",
      "readGreetingSuccess",
      "ehloStart",
      "ehloSuccess",
      "startTlsStart",
      "startTlsSuccess",
      "ehloStart",
      "ehloSuccess",
      "quitStart",
      "quitCompleted",
      "completed",
    ]);
  });
  test("an address adds MAIL FROM and RCPT TO", () => {
    expect(sequences.get("ok@pki.test")).toContain("rcptToSuccess");
    expect(sequences.get("pki.test")).not.toContain("mailFromStart");
  });
  test("a self-signed DANE host fails STARTTLS under PKI and DANE is never checked", () => {
    const seen = sequences.get("dane.test") ?? [];
    expect(seen).toContain("tlsaLookupSuccess");
    expect(seen).toContain("startTlsError");
    expect(seen).not.toContain("daneVerifySuccess");
  });
  test("it moves on after a failed host and stops at the first that succeeds", () => {
    const seen = sequences.get("two-mx.test") ?? [];
    expect(seen.filter((t) => t === "deliveryAttemptStart")).toHaveLength(2);
    expect(seen.at(-2)).toBe("quitCompleted");
  });
  test("an IP literal is refused before any event", async () => {
    const run = liveDeliveryTest("192.0.2.1", world.config());
    await expect(run.next()).rejects.toBeInstanceOf(ProbeInputError);
  });
});
