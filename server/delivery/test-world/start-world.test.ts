import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { readProbeConfig } from "../config";
import { probeDestination } from "../probe-destination";
import { type StartedWorld, startWorld } from "./start-world";

// The world as another process starts it (e2e, bench): only `env` reaches the server, so a
// probe configured from `env` alone, with the system roots as in production, must verify the
// world's certificates through the NODE_EXTRA_CA_CERTS file.

let world: StartedWorld;
beforeAll(async () => {
  world = await startWorld();
}, 30_000);
afterAll(async () => {
  await world?.close();
});

test("env names the five variables and the PEM file holds the world's root", () => {
  expect(Object.keys(world.env).sort()).toEqual([
    "DNS_SERVERS",
    "MTA_STS_PORT",
    "NODE_EXTRA_CA_CERTS",
    "PROBE_PRIVATE_ADDRESSES",
    "SMTP_PORT",
  ]);
  expect(world.env.PROBE_PRIVATE_ADDRESSES).toBe("1");
  expect(readFileSync(world.env.NODE_EXTRA_CA_CERTS ?? "", "utf8")).toBe(world.caPem);
  expect(world.domains).toContain("two-mx.test");
});

test("a server configured from env alone verifies pki.test by PKI, asking the world's DNS", async () => {
  const before = world.dnsQueries();
  const facts = await probeDestination("pki.test", readProbeConfig(world.env), {
    deadlineMs: 5_000,
  });
  expect(facts.status).toBe("complete");
  expect(facts.hosts[0]?.addresses[0]?.tls).toMatchObject({ outcome: "ok", pki: { ok: true } });
  expect(world.dnsQueries().udp).toBeGreaterThan(before.udp);
});

test("close() stops the world and removes the PEM file, twice without harm", async () => {
  const other = await startWorld({ domains: [] });
  const file = other.env.NODE_EXTRA_CA_CERTS ?? "";
  expect(existsSync(file)).toBe(true);
  await other.close();
  await other.close();
  expect(existsSync(file)).toBe(false);
});
