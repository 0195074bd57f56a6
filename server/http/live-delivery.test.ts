import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApp } from "../app";
import type { LiveEvent } from "../delivery/live/live-test";
import {
  expectedFrames,
  LIVE_EXTRA_DOMAINS,
  LIVE_TARGETS,
  zeroElapsed,
} from "../delivery/live/live-vectors";
import { STORIES } from "../delivery/test-world/scenarios";
import { startTestWorld, type TestWorld } from "../delivery/test-world/world";
import { openStore } from "../store";
import {
  ADMIN_PASSWORD,
  afterTheClientGoesAway,
  ORIGIN,
  WATCHED_DOMAIN,
  watchAt,
} from "../test-support";

// The embedded server's copy of Stalwart's live delivery test over HTTP (shared delivery
// reference §3.1): the token, the stream's headers, and every event type's frame byte for
// byte as the endpoint sends it (the generator's own test: delivery/live/live-test.test.ts).

const READER = "Bearer reader-key-0123456789abcdef";
const TESTER = "Bearer tester-key-0123456789abcdef";

let world: TestWorld;
let app: ReturnType<typeof createApp>;
let store: Awaited<ReturnType<typeof openStore>>["store"];

/** An address no world uses (worlds take 127.10-249.*), for the watched SMTP host. */
const WATCHED_ADDRESS = "127.250.0.2";
/** Every frame the endpoint sent, per event type (elapsed set to 0), and each target's types. */
const frames = new Map<string, Set<string>>();
const sequences = new Map<string, string[]>();

/** The frames of an SSE body; fails unless the body is nothing but whole frames. */
function sseFrames(body: string): string[] {
  const pattern = /event: event\ndata: \[\{[^\n]*\}\]\n\n/y;
  const found: string[] = [];
  for (let match = pattern.exec(body); match; match = pattern.exec(body)) found.push(match[0]);
  expect(found.join("")).toBe(body);
  return found;
}

const token = async (authorization = TESTER) => {
  const response = await app.request(`${ORIGIN}/api/token/delivery`, {
    headers: { Authorization: authorization },
  });
  return response.text();
};

const live = (target: string, query: string) =>
  app.request(`${ORIGIN}/api/live/delivery/${target}?${query}`);

beforeAll(async () => {
  world = await startTestWorld({
    domains: [...STORIES.domains, ...LIVE_EXTRA_DOMAINS, WATCHED_DOMAIN],
  });
  watchAt(world, WATCHED_ADDRESS);
  ({ store } = await openStore({
    dataDir: null,
    adminPassword: ADMIN_PASSWORD,
    users: [
      { name: "reader", apiKeys: [READER.slice(7)], permissions: ["sysMtaTlsStrategyGet"] },
      { name: "tester", apiKeys: [TESTER.slice(7)], permissions: ["liveDeliveryTest"] },
    ],
  }));
  app = createApp({
    store,
    publicUrl: ORIGIN,
    probe: world.config({}, { maxPerUser: 50, maxTotal: 50 }),
  });
  const granted = await token();
  await Promise.all(
    LIVE_TARGETS.map(async (target) => {
      const response = await live(encodeURIComponent(target), `token=${granted}&timeout=1`);
      expect(response.status).toBe(200);
      const seen: string[] = [];
      for (const frame of sseFrames(await response.text())) {
        const type = (JSON.parse(frame.slice(20, -3)) as LiveEvent).type;
        seen.push(type);
        frames.set(type, (frames.get(type) ?? new Set()).add(zeroElapsed(frame)));
      }
      sequences.set(target, seen);
    }),
  );
}, 60_000);
afterAll(async () => {
  await world?.stop();
});

describe("GET /api/token/delivery", () => {
  test("a plain-text token for a holder of liveDeliveryTest, by any method", async () => {
    const response = await app.request(`${ORIGIN}/api/token/delivery`, {
      method: "POST",
      headers: { Authorization: TESTER },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  test("401 without credentials, 403 without the permission", async () => {
    const anonymous = await app.request(`${ORIGIN}/api/token/delivery`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).detail).toBe("You have to authenticate first.");
    const reader = await app.request(`${ORIGIN}/api/token/delivery`, {
      headers: { Authorization: READER },
    });
    expect(reader.status).toBe(403);
  });
});

describe("GET /api/live/delivery/{target}", () => {
  test("text/event-stream, no-store; ends with completed", async () => {
    const response = await live("pki.test", `token=${await token()}&timeout=2`);
    expect(response.headers.get("Content-Type")).toBe("text/event-stream");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Encoding")).toBeNull();
    expect(sseFrames(await response.text()).at(-1)).toBe(
      'event: event\ndata: [{"type":"completed"}]\n\n',
    );
  });
  test("the target is percent-decoded and lower-cased", () => {
    expect(sequences.get("ok@pki.test")).toContain("rcptToSuccess");
    expect([...(frames.get("mxLookupStart") ?? [])]).toContain(
      'event: event\ndata: [{"type":"mxLookupStart","domain":"pki.test"}]\n\n',
    );
  });
  test("an Authorization header works instead of the token", async () => {
    const response = await app.request(`${ORIGIN}/api/live/delivery/NULLMX.test`, {
      headers: { Authorization: TESTER },
    });
    expect(sseFrames(await response.text()).map(zeroElapsed)).toEqual([
      'event: event\ndata: [{"type":"mxLookupStart","domain":"nullmx.test"}]\n\n',
      'event: event\ndata: [{"type":"mxLookupError","reason":"Null MX record","elapsed":0}]\n\n',
      'event: event\ndata: [{"type":"completed"}]\n\n',
    ]);
  });
  test("an unknown token: 401; a reader's credentials: 403; an IP literal: 400", async () => {
    expect((await live("pki.test", "token=made-up")).status).toBe(401);
    const reader = await app.request(`${ORIGIN}/api/live/delivery/pki.test`, {
      headers: { Authorization: READER },
    });
    expect(reader.status).toBe(403);
    expect((await live("192.0.2.1", `token=${await token()}`)).status).toBe(400);
  });
});

describe("one frame per event type, byte for byte, as the endpoint sends it", () => {
  const types = Object.keys(expectedFrames(() => "")) as LiveEvent["type"][];
  test.each(types)("%s", (type) => {
    const want = expectedFrames((host) => world.addresses[host]?.[0] ?? "")[type];
    const got = [...(frames.get(type) ?? [])];
    if (want instanceof RegExp) expect(got.filter((f) => want.test(f))).not.toEqual([]);
    else expect(got).toContain(want);
  });
});

describe("bounds", () => {
  test("one test at a time per user here: the second gets 429 with Retry-After", async () => {
    const single = createApp({
      store,
      publicUrl: ORIGIN,
      probe: world.config({}, { maxPerUser: 1 }),
    });
    const headers = { Authorization: TESTER };
    const first = await single.request(`${ORIGIN}/api/live/delivery/silent.test?timeout=2`, {
      headers,
    });
    const second = await single.request(`${ORIGIN}/api/live/delivery/pki.test`, { headers });
    expect(second.status).toBe(429);
    expect(second.headers.get("Retry-After")).toBe("5");
    expect((await second.json()).detail).toBe(
      "You already have 1 destination tests running; wait for one to end.",
    );
    await first.text();
    const third = await single.request(`${ORIGIN}/api/live/delivery/nullmx.test`, { headers });
    expect(third.status).toBe(200);
    await third.text();
  });

  test("the client going away closes the test's sockets at once", async () => {
    const granted = await token();
    const { msToClose, closed } = await afterTheClientGoesAway(
      app,
      { address: WATCHED_ADDRESS, port: world.smtpPort },
      { path: `/api/live/delivery/watched.test?token=${granted}&timeout=30` },
    );
    expect(closed).toBe(1);
    expect(msToClose).toBeLessThan(500);
  });
});
