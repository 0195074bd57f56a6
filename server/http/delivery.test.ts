import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type DeliveryFrame, frameSchema, PROBE_PATH } from "../../src/stalwart/delivery/frames";
import { createApp } from "../app";
import type { ProbeConfig, ProbeTimeouts } from "../delivery/config";
import { parseTarget } from "../delivery/target";
import { STORIES } from "../delivery/test-world/scenarios";
import { startTestWorld, type TestWorld } from "../delivery/test-world/world";
import { openStore } from "../store";
import {
  ADMIN,
  ADMIN_PASSWORD,
  afterTheClientGoesAway,
  ORIGIN,
  WATCHED_DOMAIN,
  watchAt,
} from "../test-support";

// The page's probe endpoint against the loopback world: the contract's answers (401, 403, 400,
// 429), the NDJSON stream, the deadline, the address filter, and a real listener to see the
// probe's sockets close when the client goes away.

const READER_KEY = "reader-key-0123456789abcdef";
const TESTER_KEY = "tester-key-0123456789abcdef";
const OTHER_KEY = "other-key-0123456789abcdefg";
const READER = `Bearer ${READER_KEY}`;
const TESTER = `Bearer ${TESTER_KEY}`;
const OTHER = `Bearer ${OTHER_KEY}`;

/** An address no world uses (worlds take 127.10-249.*), for the watched SMTP host. */
const WATCHED_ADDRESS = "127.250.0.1";

let world: TestWorld;
let store: Awaited<ReturnType<typeof openStore>>["store"];
beforeAll(async () => {
  world = await startTestWorld({
    ...STORIES,
    domains: [...STORIES.domains, WATCHED_DOMAIN],
  });
  watchAt(world, WATCHED_ADDRESS);
  ({ store } = await openStore({
    dataDir: null,
    adminPassword: ADMIN_PASSWORD,
    users: [
      { name: "reader", apiKeys: [READER_KEY], permissions: ["sysMtaTlsStrategyGet"] },
      { name: "tester", apiKeys: [TESTER_KEY], permissions: ["liveDeliveryTest"] },
      { name: "other", apiKeys: [OTHER_KEY], permissions: ["liveDeliveryTest"] },
    ],
  }));
}, 30_000);
afterAll(async () => {
  await world?.stop();
});

/** Slow hosts wait this long for a greeting, so only the deadline or the client ends them. */
const PATIENT = { greetingMs: 10_000, connectMs: 10_000 };

const appWith = (probe: Partial<ProbeConfig> = {}, timeouts: Partial<ProbeTimeouts> = {}) =>
  createApp({ store, publicUrl: ORIGIN, probe: world.config(timeouts, probe) });

const probeUrl = (target: string, extra = "") =>
  `${ORIGIN}${PROBE_PATH}?target=${encodeURIComponent(target)}${extra}`;

/** The lines of an NDJSON body as JSON. */
async function linesOf(response: Response): Promise<unknown[]> {
  const text = await response.text();
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
}

/** The frames of an NDJSON body, each checked against frameSchema. */
async function framesOf(response: Response): Promise<DeliveryFrame[]> {
  return (await linesOf(response)).map((line) => frameSchema.parse(line));
}

describe("before the stream: problem+json", () => {
  test("without credentials: the 401 /jmap answers", async () => {
    const app = appWith();
    const [probe, jmap] = await Promise.all([
      app.request(probeUrl("pki.test")),
      app.request(`${ORIGIN}/jmap/`, { method: "POST", body: "{}" }),
    ]);
    expect(probe.status).toBe(401);
    expect(probe.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await probe.json()).toEqual(await jmap.json());
    expect(probe.headers.get("WWW-Authenticate")).toBe(jmap.headers.get("WWW-Authenticate"));
  });

  test("without liveDeliveryTest: 403 naming the permission; admin holds it", async () => {
    const app = appWith();
    const refused = await app.request(probeUrl("pki.test"), { headers: { Authorization: READER } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      type: "about:blank",
      status: 403,
      title: "Forbidden",
      detail: "Testing a destination needs the liveDeliveryTest permission.",
    });
    const admin = await app.request(probeUrl("pki.test", "&timeout=5"), {
      headers: { Authorization: ADMIN },
    });
    expect(admin.status).toBe(200);
    await admin.body?.cancel();
  });

  test.each(["127.0.0.1", "[::1]", "localhost", "a b.test", `${"a".repeat(297)}.test`, ""])(
    "a refused target %j: 400 with parseTarget's words, nothing asked of DNS",
    async (target) => {
      const before = world.dns.counts.udp + world.dns.counts.tcp;
      const response = await appWith().request(probeUrl(target), {
        headers: { Authorization: TESTER },
      });
      const expected = parseTarget(target);
      expect("error" in expected).toBe(true);
      expect(response.status).toBe(400);
      expect(response.headers.get("Content-Type")).toBe("application/problem+json");
      expect(await response.json()).toEqual({
        type: "about:blank",
        status: 400,
        title: "Bad Request",
        detail: "error" in expected ? expected.error : "",
      });
      expect(world.dns.counts.udp + world.dns.counts.tcp).toBe(before);
    },
  );

  test.each(["0", "121", "1.5", "soon"])("timeout=%s: 400 naming the parameter", async (value) => {
    const response = await appWith().request(probeUrl("pki.test", `&timeout=${value}`), {
      headers: { Authorization: TESTER },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).detail).toBe(
      `timeout must be a whole number of seconds from 1 to 120 (it is "${value}").`,
    );
  });
});

describe("the stream", () => {
  test("200 NDJSON: start first (collected by this server), done last, pki.test verified", async () => {
    const response = await appWith().request(probeUrl("pki.test"), {
      headers: { Authorization: TESTER },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const lines = await linesOf(response);
    const frames = lines.map((line) => frameSchema.parse(line));
    const start = frames[0];
    expect(start?.type).toBe("start");
    if (start?.type === "start") {
      expect(start.facts.target.domain).toBe("pki.test");
      expect(start.facts.source.resolvers).toEqual([world.dnsServer]);
    }
    expect(lines[0]).toMatchObject({ facts: { source: { collectedBy: "embedded" } } });
    expect(frames.at(-1)).toMatchObject({ type: "done", status: "complete" });
    expect(frames.filter((f) => f.type === "done")).toHaveLength(1);
    const tls = frames.find((f) => f.type === "address" && f.address.tls);
    expect(tls).toMatchObject({ address: { tls: { outcome: "ok", pki: { ok: true } } } });
  });

  test("timeout=1 ends a silent host's probe after one second", async () => {
    const started = performance.now();
    const response = await appWith({}, PATIENT).request(probeUrl("silent.test", "&timeout=1"), {
      headers: { Authorization: TESTER },
    });
    const frames = await framesOf(response);
    expect(frames.at(-1)).toMatchObject({
      type: "done",
      status: "stopped",
      stopReason: "the deadline of 1000 ms passed",
    });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test("private addresses are refused unless PROBE_PRIVATE_ADDRESSES=1, the address named", async () => {
    const response = await appWith({ privateAddressesAllowed: false }).request(
      probeUrl("pki.test"),
      { headers: { Authorization: TESTER } },
    );
    const frames = await framesOf(response);
    const address = world.addresses["mx.pki.test"]?.[0] ?? "";
    expect(address).toMatch(/^127\./);
    const refused = frames.find((f) => f.type === "address" && f.address.refused);
    expect(refused).toEqual({
      type: "address",
      host: "mx.pki.test",
      address: { address, refused: expect.stringMatching(/loopback/), done: true },
    });
    expect(frames.some((f) => f.type === "address" && f.address.connect)).toBe(false);
  });
});

describe("HEAD", () => {
  test("answers with GET's headers at once and stops the probe it started", async () => {
    const app = appWith({ maxPerUser: 1 }, PATIENT);
    const started = performance.now();
    const head = await app.request(probeUrl("silent.test"), {
      method: "HEAD",
      headers: { Authorization: TESTER },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get("Content-Type")).toBe("application/x-ndjson; charset=utf-8");
    expect(performance.now() - started).toBeLessThan(500);
    // maxPerUser 1: the slot comes back once the cancelled probe has ended.
    await expect
      .poll(async () => {
        const again = await app.request(probeUrl("pki.test"), {
          headers: { Authorization: TESTER },
        });
        await again.body?.cancel();
        return again.status;
      })
      .toBe(200);
  });
});

describe("at most a few at once", () => {
  test("per user, then in total: 429 with the count and Retry-After", async () => {
    const app = appWith({ maxPerUser: 2, maxTotal: 3 });
    const hold = (authorization: string) =>
      app.request(probeUrl("silent.test", "&timeout=3"), {
        headers: { Authorization: authorization },
      });
    const running = [await hold(TESTER), await hold(TESTER)];
    const third = await hold(TESTER);
    expect(third.status).toBe(429);
    expect(third.headers.get("Retry-After")).toBe("5");
    expect((await third.json()).detail).toBe(
      "You already have 2 destination tests running; wait for one to end.",
    );
    running.push(await hold(OTHER));
    const fourth = await hold(ADMIN);
    expect(fourth.status).toBe(429);
    expect((await fourth.json()).detail).toBe(
      "The server is running 3 destination tests; try again in a moment.",
    );
    // A finished probe frees its slot.
    for (const response of running) await response.text();
    const after = await hold(TESTER);
    expect(after.status).toBe(200);
    await after.body?.cancel();
  }, 15_000);
});

describe("the client going away", () => {
  test("closes the probe's sockets and frees its slot", async () => {
    const app = appWith({ maxPerUser: 1 }, PATIENT);
    const { msToClose, closed } = await afterTheClientGoesAway(
      app,
      { address: WATCHED_ADDRESS, port: world.smtpPort },
      { path: `${PROBE_PATH}?target=watched.test&timeout=30`, headers: { Authorization: TESTER } },
      async (port) => {
        // maxPerUser 1: the slot is free again.
        await expect
          .poll(async () => {
            const again = await fetch(`http://127.0.0.1:${port}${PROBE_PATH}?target=pki.test`, {
              headers: { Authorization: TESTER },
            });
            await again.body?.cancel();
            return again.status;
          })
          .toBe(200);
      },
    );
    expect(closed).toBe(1);
    expect(msToClose).toBeLessThan(500);
  });
});
