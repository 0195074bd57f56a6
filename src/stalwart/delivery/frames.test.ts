import { expect, test } from "vitest";
import type { DeliveryFacts } from "./facts";
import { applyFrame, type DeliveryFrame, factsFromFrames } from "./frames";
import { TEST_SOURCE } from "./test-source";

// The page rebuilds the facts from the stream: frames merge by host and address name, in any
// order, and never mutate what came before.

const start: DeliveryFacts = {
  target: { input: "example.com", domain: "example.com" },
  collectedAt: "2026-01-01T00:00:00.000Z",
  source: TEST_SOURCE,
  hosts: [],
  status: "collecting",
};

test("host and address patches merge by name, in any order", () => {
  const frames: DeliveryFrame[] = [
    { type: "start", facts: start },
    { type: "step", text: "Looking up" },
    {
      type: "address",
      host: "mx1.example.com",
      address: {
        address: "192.0.2.1",
        connect: { ok: true, elapsedMs: 1, timeoutMs: 5, timedOut: false },
      },
    },
    {
      type: "host",
      host: {
        name: "mx1.example.com",
        ips: { outcome: "addresses", addresses: ["192.0.2.1"], cut: [], elapsedMs: 1 },
      },
    },
    { type: "address", host: "mx1.example.com", address: { address: "192.0.2.1", done: true } },
    { type: "host", host: { name: "mx2.example.com" } },
    { type: "done", status: "complete", elapsedMs: 12 },
  ];
  const facts = factsFromFrames(frames);
  expect(facts?.hosts).toEqual([
    {
      name: "mx1.example.com",
      ips: { outcome: "addresses", addresses: ["192.0.2.1"], cut: [], elapsedMs: 1 },
      addresses: [
        {
          address: "192.0.2.1",
          connect: { ok: true, elapsedMs: 1, timeoutMs: 5, timedOut: false },
          done: true,
        },
      ],
    },
    { name: "mx2.example.com", addresses: [] },
  ]);
  expect(facts).toMatchObject({ status: "complete", elapsedMs: 12 });
  expect(start.hosts).toEqual([]);
});

test("step and error frames leave the facts alone; nothing before start", () => {
  expect(applyFrame(start, { type: "error", text: "busy" })).toBe(start);
  expect(factsFromFrames([{ type: "step", text: "x" }])).toBeUndefined();
});
