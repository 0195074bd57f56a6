import { describe, expect, test } from "vitest";
import { createApp } from "./app";
import { scryptRuns } from "./auth";
import { addressBucket, FailureLimiter, REFUSAL_DELAY_MS } from "./sign-in-limit";
import { openStore } from "./store";
import { ADMIN, basic, ORIGIN, testServer, USING } from "./test-support";

// README, "Signing in: limits": sign-in that resists guessing and does not slow everyone down.

describe("failed sign-ins are rate-limited per address", () => {
  test("a burst of 10 attempts, then one every 6 s; the wait is to the next one", () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter(undefined, () => now);
    for (let i = 0; i < 10; i += 1) limiter.take("1.2.3.4");
    expect(() => limiter.take("1.2.3.4")).toThrow(/try again in 6 seconds/);
    // Another address is not affected.
    expect(() => limiter.take("5.6.7.8")).not.toThrow();
    now += 5_000;
    expect(() => limiter.take("1.2.3.4")).toThrow(/try again in 1 second\./);
    now += 1_000;
    expect(() => limiter.take("1.2.3.4")).not.toThrow();
    // However often refused, the wait never grows past the next token.
    for (let i = 0; i < 50; i += 1) expect(() => limiter.take("1.2.3.4")).toThrow(/in 6 seconds/);
    now += 60_000;
    expect(() => limiter.take("1.2.3.4")).not.toThrow();
    // A success gives its token back.
    limiter.refund("1.2.3.4");
    for (let i = 0; i < 9; i += 1) limiter.take("1.2.3.4");
  });

  test("an IPv6 address counts with the rest of its /64", () => {
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2::ffff")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
    expect(addressBucket("::ffff:10.0.0.1")).toBe("10.0.0.1");
    const limiter = new FailureLimiter();
    for (let i = 0; i < 10; i += 1) limiter.take(`2001:db8:1:2::${i.toString(16)}`);
    expect(() => limiter.take("2001:db8:1:2:ffff::9")).toThrow(/Too many/);
    expect(() => limiter.take("2001:db8:1:3::1")).not.toThrow();
  });

  test("parallel wrong passwords cannot outrun the limit", async () => {
    const { store } = await openStore({ dataDir: null, adminPassword: "right" });
    const before = scryptRuns.count;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        store.authenticator.authenticate(basic("admin", `guess-${i}`), "10.9.9.9"),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(10);
    expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(50);
    expect(scryptRuns.count - before).toBe(10);
  });

  test("over HTTP: 429 with Retry-After, without checking the password; a signed-in admin goes on", async () => {
    const { store } = await openStore({ dataDir: null, adminPassword: "right" });
    let address = "10.0.0.1";
    const app = createApp({ store, publicUrl: ORIGIN, clientAddress: () => address });
    const post = (authorization: string) =>
      app.request(`${ORIGIN}/jmap/`, {
        method: "POST",
        headers: { Authorization: authorization, "Content-Type": "application/json" },
        body: JSON.stringify({ using: USING, methodCalls: [] }),
      });
    expect((await post(basic("admin", "right"))).status).toBe(200);
    for (let i = 0; i < 10; i += 1)
      expect((await post(basic("admin", `wrong${i}`))).status).toBe(401);
    const before = scryptRuns.count;
    const sentAt = performance.now();
    const limited = await post(basic("admin", "wrong again"));
    expect(limited.status).toBe(429);
    // Answered only after the tarpit delay: a flood of guesses cannot crowd out other work.
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(REFUSAL_DELAY_MS - 5);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({
      status: 429,
      detail: expect.stringMatching(
        /^Too many failed sign-ins from this address\. Try again in \d+ seconds?\.$/,
      ),
    });
    expect(scryptRuns.count).toBe(before);
    // Already signed in from that address: not locked out by the attacker beside it.
    expect((await post(basic("admin", "right"))).status).toBe(200);
    address = "10.0.0.2";
    expect((await post(basic("admin", "wrong"))).status).toBe(401);
  });
});

test("one wrong credential sent by parallel requests, or again at once, is one failed guess", async () => {
  const { store } = await openStore({ dataDir: null, adminPassword: "right" });
  const authenticator = store.authenticator;
  const before = scryptRuns.count;
  const header = basic("admin", "wrong");
  expect(
    await Promise.all([
      authenticator.authenticate(header, "10.1.1.1"),
      authenticator.authenticate(header, "10.1.1.1"),
    ]),
  ).toEqual([null, null]);
  expect(await authenticator.authenticate(header, "10.1.1.1")).toBeNull();
  expect(scryptRuns.count - before).toBe(1);
  // Nine more distinct guesses fit in the burst; the eleventh does not.
  for (let i = 0; i < 9; i += 1)
    await authenticator.authenticate(basic("admin", `w${i}`), "10.1.1.1");
  await expect(authenticator.authenticate(basic("admin", "w9"), "10.1.1.1")).rejects.toThrow(
    /Too many failed sign-ins/,
  );
});

test("an API key with any characters, $ included, is stored and signs in", async () => {
  const { store } = await openStore({
    dataDir: null,
    adminPassword: "pw",
    users: [{ name: "robot", apiKeys: ["a$b$cdef-0123456789"], permissions: [] }],
  });
  expect((await store.authenticator.authenticate("Bearer a$b$cdef-0123456789"))?.name).toBe(
    "robot",
  );
});

test("an API key costs one keyed hash, whatever the number of stored keys, and no scrypt", async () => {
  const users = Array.from({ length: 50 }, (_, i) => ({
    name: `robot${i}`,
    apiKeys: [`robot-${i}-key-0123456789abcdef`],
    permissions: ["sysMtaTlsStrategyQuery"],
  }));
  const { store } = await openStore({ dataDir: null, adminPassword: "pw", users });
  const before = scryptRuns.count;
  expect(
    (await store.authenticator.authenticate("Bearer robot-49-key-0123456789abcdef"))?.name,
  ).toBe("robot49");
  expect(await store.authenticator.authenticate("Bearer robot-49-key-0123456789abcdeX")).toBeNull();
  expect(await store.authenticator.authenticate("Bearer not-a-key-at-all-really")).toBeNull();
  expect(scryptRuns.count).toBe(before);
});

test("the Basic user name is trimmed and lower-cased before lookup (reference §2)", async () => {
  const server = await testServer();
  const response = await server.app.request(`${ORIGIN}/jmap/session`, {
    headers: { Authorization: basic(" Admin ", "admin-secret") },
  });
  expect(response.status).toBe(200);
  expect((await response.json()).username).toBe("admin");
  expect(ADMIN).toMatch(/^Basic /);
});
