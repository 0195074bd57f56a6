import { afterAll, beforeAll, expect, test } from "vitest";
import type { DeliveryFrame } from "../../src/stalwart/delivery/frames";
import { probeDestination } from "./probe-destination";
import { startTestWorld, type TestWorld } from "./test-world/world";

// README "Testing a destination" (and the bench): a two-MX domain of the local world shows its
// first fact within 100 ms and its full facts within 1 s, because the facts of independent hosts
// are collected at once.

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld("stories");
}, 30_000);
afterAll(async () => {
  await world?.stop();
});

test("two-mx.test: first fact ≤ 100 ms, every fact of both hosts ≤ 1 s", async () => {
  // Warm the path once (module loading, first TLS context) as a running server has.
  await probeDestination("pki.test", world.config());
  const seen: { frame: DeliveryFrame; at: number }[] = [];
  const started = performance.now();
  const facts = await probeDestination("two-mx.test", world.config(), {
    onFrame: (frame) => seen.push({ frame, at: performance.now() - started }),
  });
  const total = performance.now() - started;
  const first = seen.find(({ frame }) => !["start", "step"].includes(frame.type));
  expect(first?.at).toBeLessThan(100);
  expect(total).toBeLessThan(1_000);
  expect(facts.status).toBe("complete");
  expect(facts.hosts.map((h) => h.name)).toEqual(["mx1.two-mx.test", "mx2.two-mx.test"]);
  expect(facts.hosts[0]?.addresses[0]?.startTls?.code).toBe(454);
  expect(facts.hosts[1]?.addresses[0]?.tls).toMatchObject({ outcome: "ok", pki: { ok: true } });
  expect(facts.hosts.every((h) => h.addresses.every((a) => a.done))).toBe(true);
});
