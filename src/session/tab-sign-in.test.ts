import { afterEach, describe, expect, test, vi } from "vitest";
import { type Credentials, withoutSecret } from "../jmap/authorization";
import {
  CHANNEL_NAME,
  connectToOpenTabs,
  holdSignedInLock,
  isAnyTabSignedIn,
  LOCK_NAME,
  type Locks,
  type OpenTabs,
  parseTabMessage,
  type TabEnvironment,
  type TabListener,
} from "./tab-sign-in";

// Node has BroadcastChannel (channels of one process hear each other, as tabs do), not Web
// Locks: a stand-in keeps the held locks of the "browser" in a list.
function fakeLocks(): Locks {
  const held: { name: string }[] = [];
  return {
    query: async () => ({ held: [...held] }),
    async request(name, options, callback) {
      if (options.signal.aborted) throw new DOMException("Aborted", "AbortError");
      const lock = { name };
      held.push(lock);
      try {
        return await callback();
      } finally {
        held.splice(held.indexOf(lock), 1);
      }
    },
  };
}

const admin: Credentials = { kind: "basic", username: "admin", password: "s3cret" };
const channels: { close(): void }[] = [];
const releases: (() => void)[] = [];

afterEach(() => {
  for (const release of releases.splice(0)) release();
  for (const channel of channels.splice(0)) channel.close();
});

/** A tab of the page: connected, with what it shares and what it heard. */
function openTab(environment: TabEnvironment, credentials: Credentials | null = null) {
  const heard = { signedIn: [] as [Credentials, string][], signedOut: 0 };
  const listener: TabListener = {
    shareableCredentials: () => credentials,
    onSignedIn: (shared, username) => heard.signedIn.push([shared, username]),
    onSignedOut: () => {
      heard.signedOut += 1;
    },
  };
  const tabs = connectToOpenTabs(listener, environment) as OpenTabs;
  channels.push(tabs);
  if (credentials) releases.push(holdSignedInLock(environment.locks));
  return { tabs, heard };
}

/** Everything said on the channel, as another script of the origin would hear it. */
function overhear() {
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channels.push(channel);
  const messages: unknown[] = [];
  channel.addEventListener("message", (event) => messages.push((event as MessageEvent).data));
  return { channel, messages };
}

const quietMoment = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("a new tab signs in from an open tab", () => {
  test("with no signed-in tab it does not wait, and asks nobody", async () => {
    const environment = { BroadcastChannel, locks: fakeLocks(), answerTimeoutMs: 60_000 };
    openTab(environment);
    const { messages } = overhear();
    const onWaiting = vi.fn();
    const { tabs } = openTab(environment);
    // Were it waiting for an answer, this would outlast the test's timeout.
    await expect(tabs.askCredentials(onWaiting)).resolves.toBeNull();
    await quietMoment();
    expect(onWaiting).not.toHaveBeenCalled();
    expect(messages).toEqual([]);
  });

  test("with a signed-in tab open, it asks and takes the first answer", async () => {
    const environment = { BroadcastChannel, locks: fakeLocks(), answerTimeoutMs: 5_000 };
    openTab(environment, admin);
    const onWaiting = vi.fn();
    const { tabs } = openTab(environment);
    await expect(tabs.askCredentials(onWaiting)).resolves.toEqual(admin);
    expect(onWaiting).toHaveBeenCalledOnce();
  });

  test("a tab with nothing to share stays silent; the ask gives up after the timeout", async () => {
    const locks = fakeLocks();
    const environment = { BroadcastChannel, locks, answerTimeoutMs: 50 };
    openTab(environment, null);
    // Another tab holds the lock but lost its secret (signed out elsewhere, unsaved work).
    releases.push(holdSignedInLock(locks));
    const { messages } = overhear();
    const { tabs } = openTab(environment);
    await expect(tabs.askCredentials()).resolves.toBeNull();
    expect(messages).toEqual([{ type: "ask", id: expect.any(String) }]);
  });

  test("closing the tab ends an ask in progress", async () => {
    const locks = fakeLocks();
    releases.push(holdSignedInLock(locks));
    const { tabs } = openTab({ BroadcastChannel, locks, answerTimeoutMs: 60_000 });
    const asked = tabs.askCredentials();
    await quietMoment();
    tabs.close();
    await expect(asked).resolves.toBeNull();
  });
});

test("an answer that is malformed, or meant for another ask, is ignored", async () => {
  const locks = fakeLocks();
  releases.push(holdSignedInLock(locks));
  const { channel } = overhear();
  channel.addEventListener("message", (event) => {
    const data = (event as MessageEvent).data as { type?: string; id?: string };
    if (data.type !== "ask") return;
    channel.postMessage({ type: "answer", id: "someone-else", credentials: admin });
    channel.postMessage({ type: "answer", id: data.id, credentials: withoutSecret(admin) });
    channel.postMessage({ type: "answer", id: data.id, credentials: { kind: "cookie" } });
    channel.postMessage(`{"type":"answer","id":"${data.id}"}`);
  });
  const { tabs } = openTab({ BroadcastChannel, locks, answerTimeoutMs: 100 });
  await expect(tabs.askCredentials()).resolves.toBeNull();
});

describe("sign-ins and sign-outs reach the other tabs", () => {
  test("announced in one tab, heard in the others, not echoed back", async () => {
    const environment = { BroadcastChannel, locks: fakeLocks() };
    const first = openTab(environment, admin);
    const second = openTab(environment);
    const renewed: Credentials = { ...admin, password: "n3w" };
    first.tabs.announceSignIn(renewed, "admin");
    await vi.waitFor(() => expect(second.heard.signedIn).toEqual([[renewed, "admin"]]));
    first.tabs.announceSignOut();
    await vi.waitFor(() => expect(second.heard.signedOut).toBe(1));
    await quietMoment();
    expect(first.heard).toEqual({ signedIn: [], signedOut: 0 });
  });

  test("malformed announcements are ignored", async () => {
    const { heard } = openTab({ BroadcastChannel, locks: fakeLocks() });
    const { channel } = overhear();
    channel.postMessage({ type: "signed-in", credentials: admin });
    channel.postMessage({ type: "signed-in", credentials: { kind: "bearer", token: "" } });
    channel.postMessage({ type: "signed-out!" });
    channel.postMessage(null);
    await quietMoment();
    expect(heard).toEqual({ signedIn: [], signedOut: 0 });
  });
});

test("messages are exactly these shapes; anything else parses to null", () => {
  expect(parseTabMessage({ type: "ask", id: "a1" })).toEqual({ type: "ask", id: "a1" });
  expect(parseTabMessage({ type: "answer", id: "a1", credentials: admin })).toEqual({
    type: "answer",
    id: "a1",
    credentials: admin,
  });
  const bearer: Credentials = { kind: "bearer", token: "key" };
  expect(parseTabMessage({ type: "signed-in", credentials: bearer, username: "robot" })).toEqual({
    type: "signed-in",
    credentials: bearer,
    username: "robot",
  });
  expect(parseTabMessage({ type: "signed-out" })).toEqual({ type: "signed-out" });
  for (const malformed of [
    undefined,
    "signed-out",
    { type: "ask" },
    { type: "ask", id: "" },
    { type: "ask", id: "x".repeat(65) },
    { type: "answer", id: "a1", credentials: { kind: "basic", username: "admin" } },
    { type: "signed-in", credentials: admin },
    { type: "signed-in", credentials: admin, username: 7 },
    { type: "sign-out" },
  ])
    expect(parseTabMessage(malformed)).toBeNull();
});

test("a dropped credential keeps who, never the secret", () => {
  expect(withoutSecret(admin)).toEqual({ kind: "basic", username: "admin", password: "" });
  expect(withoutSecret({ kind: "bearer", token: "key" })).toEqual({ kind: "bearer", token: "" });
});

describe("the signed-in lock", () => {
  test("is held while a tab is signed in, and let go when it is not", async () => {
    const locks = fakeLocks();
    expect(await isAnyTabSignedIn(locks)).toBe(false);
    const release = holdSignedInLock(locks);
    await vi.waitFor(async () => expect(await isAnyTabSignedIn(locks)).toBe(true));
    expect((await locks.query()).held).toEqual([{ name: LOCK_NAME }]);
    release();
    await vi.waitFor(async () => expect(await isAnyTabSignedIn(locks)).toBe(false));
  });

  test("a browser that refuses locks counts as no tab signed in", async () => {
    const refusing: Locks = {
      query: () => Promise.reject(new DOMException("Opaque origin", "SecurityError")),
      request: () => Promise.reject(new DOMException("Opaque origin", "SecurityError")),
    };
    expect(await isAnyTabSignedIn(refusing)).toBe(false);
    expect(() => holdSignedInLock(refusing)()).not.toThrow();
  });
});

describe("without the browser APIs, each tab signs in on its own, as before", () => {
  test("no BroadcastChannel: no connection, and no ask", () => {
    const environment = { locks: fakeLocks() };
    expect(connectToOpenTabs(openTabListener(), environment)).toBeNull();
  });

  test("no Web Locks: no ask, and no wait", async () => {
    const environment = { BroadcastChannel, answerTimeoutMs: 60_000 };
    const { tabs } = openTab(environment);
    await expect(tabs.askCredentials()).resolves.toBeNull();
    expect(holdSignedInLock(undefined)).toBeTypeOf("function");
  });
});

function openTabListener(): TabListener {
  return { shareableCredentials: () => null, onSignedIn: () => {}, onSignedOut: () => {} };
}

// Checks an assumption: channels of one process hear each other (what the tests above rely on).
test("two channels of one name hear each other", async () => {
  const { messages } = overhear();
  const other = new BroadcastChannel(CHANNEL_NAME);
  channels.push(other);
  other.postMessage({ type: "signed-out" });
  await vi.waitFor(() => expect(messages).toEqual([{ type: "signed-out" }]));
});
