import * as z from "zod/mini";
import type { Credentials } from "../jmap/authorization";

// Tabs of this page in one browser share one sign-in (README, "Tabs"). A new tab asks the
// open tabs for their credentials over a BroadcastChannel, which reaches only this origin's
// tabs of the same browser profile, and keeps them in its own sessionStorage as if typed.
// Nothing is ever written to localStorage or a cookie: when the last tab closes, the sign-in
// is gone.
//
// Signed-in tabs hold a shared Web Lock, so a new tab knows at once (locks.query) whether
// anyone could answer: a cold load never waits for an answer that cannot come.

/** The channel every tab of this page listens on. */
export const CHANNEL_NAME = "stalwart-tls-strategies.sign-in";

/** Held, shared, by every tab that is signed in and can answer an ask. */
export const LOCK_NAME = "stalwart-tls-strategies.signed-in";

/** How long a new tab waits for the first answer when a signed-in tab exists, in ms. */
export const ANSWER_TIMEOUT_MS = 1_000;

// A credential handed to another tab always carries its secret: a tab whose credentials were
// dropped (withoutSecret) has nothing to share, and an empty secret is a malformed message.
const secret = z.string().check(z.minLength(1));
const sharedCredentialsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("basic"), username: z.string(), password: secret }),
  z.object({ kind: z.literal("bearer"), token: secret }),
]);
const askId = z.string().check(z.minLength(1), z.maxLength(64));

/**
 * What tabs say to each other, and nothing else:
 * - `ask`: a tab opened without credentials asks for them; `id` pairs it with its answers.
 * - `answer`: a signed-in tab's credentials, for the tab that asked `id`.
 * - `signed-in`: a tab signed in, or signed in again with new credentials, as the JMAP
 *   session's `username`. Tabs without a client adopt them; a signed-in tab only when it is
 *   signed in as the same user (its credentials changed, e.g. a new password).
 * - `signed-out`: a tab signed out; every tab signs out (or drops its credentials and asks
 *   again over unsaved work).
 */
export const tabMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ask"), id: askId }),
  z.object({ type: z.literal("answer"), id: askId, credentials: sharedCredentialsSchema }),
  z.object({
    type: z.literal("signed-in"),
    credentials: sharedCredentialsSchema,
    username: z.string(),
  }),
  z.object({ type: z.literal("signed-out") }),
]);

export type TabMessage = z.infer<typeof tabMessageSchema>;

/** A message from another tab, or null when it is not one this page sends (ignored). */
export function parseTabMessage(data: unknown): TabMessage | null {
  const parsed = tabMessageSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

// --- The browser APIs, narrowed to what is used, so tests can stand in for them -------------

interface Channel {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** The part of `navigator.locks` (Web Locks API) this module uses. */
export interface Locks {
  query(): Promise<{ held?: { name?: string }[] }>;
  request(
    name: string,
    options: { mode: "shared"; signal: AbortSignal },
    callback: () => Promise<void>,
  ): Promise<unknown>;
}

/**
 * The page's `pagehide` and `pageshow` events (`window`): a page put into the back/forward
 * cache lets go of its lock and channel, and takes them again when it is shown.
 */
export interface PageLifecycle {
  addEventListener(
    type: "pagehide" | "pageshow",
    listener: (event: { persisted: boolean }) => void,
  ): void;
  removeEventListener(
    type: "pagehide" | "pageshow",
    listener: (event: { persisted: boolean }) => void,
  ): void;
}

export interface TabEnvironment {
  /** Missing in old browsers: then no tab hears another, and each signs in on its own. */
  BroadcastChannel?: new (
    name: string,
  ) => Channel;
  /** Missing in old browsers and outside secure contexts: then new tabs never ask. */
  locks?: Locks;
  /** Missing outside a browser. */
  page?: PageLifecycle;
  answerTimeoutMs?: number;
}

/** This browser's BroadcastChannel and Web Locks, where it has them. */
export function browserEnvironment(): TabEnvironment {
  return {
    BroadcastChannel: globalThis.BroadcastChannel,
    locks: typeof navigator === "undefined" ? undefined : navigator.locks,
    page: typeof window === "undefined" ? undefined : window,
  };
}

/**
 * Runs `leave` when the page goes into the back/forward cache and `come back` when it is shown
 * from it again; returns the function that stops listening. A page in that cache must hold
 * no Web Lock another tab asks for, nor hear a BroadcastChannel message: Chrome then throws
 * it out of the cache ("weblocks-contention"), and Back reloads it instead of showing it.
 */
function whileInHistory(
  page: PageLifecycle | undefined,
  leave: () => void,
  comeBack: () => void,
): () => void {
  if (!page) return () => {};
  const onHide = (event: { persisted: boolean }) => {
    if (event.persisted) leave();
  };
  const onShow = (event: { persisted: boolean }) => {
    if (event.persisted) comeBack();
  };
  page.addEventListener("pagehide", onHide);
  page.addEventListener("pageshow", onShow);
  return () => {
    page.removeEventListener("pagehide", onHide);
    page.removeEventListener("pageshow", onShow);
  };
}

/** Whether some tab of this page holds the signed-in lock now. False when unknown. */
export async function isAnyTabSignedIn(locks: Locks | undefined): Promise<boolean> {
  if (!locks) return false;
  try {
    const { held = [] } = await locks.query();
    return held.some((lock) => lock.name === LOCK_NAME);
  } catch {
    // An opaque origin (sandboxed frame) refuses locks: as if no tab were signed in.
    return false;
  }
}

/**
 * Holds the signed-in lock, shared with the other signed-in tabs, until the returned function
 * is called (or the tab closes); let go while the page is in the back/forward cache, where it
 * could not answer anyway. New tabs look for it before asking.
 */
export function holdSignedInLock(
  locks: Locks | undefined = browserEnvironment().locks,
  page: PageLifecycle | undefined = browserEnvironment().page,
) {
  if (!locks) return () => {};
  let letGo = () => {};
  const take = () => {
    const controller = new AbortController();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    locks
      .request(LOCK_NAME, { mode: "shared", signal: controller.signal }, () => held)
      // Aborted before it was granted, or refused (opaque origin): nothing to release.
      .catch(() => undefined);
    letGo = () => {
      controller.abort();
      release();
    };
  };
  take();
  const stop = whileInHistory(page, () => letGo(), take);
  return () => {
    stop();
    letGo();
  };
}

// --- The connection of one tab to the others ------------------------------------------------

export interface TabListener {
  /** This tab's credentials when it may hand them to a new tab (signed in, secret kept). */
  shareableCredentials(): Credentials | null;
  /** Another tab signed in, or signed in again, as `username` (the JMAP session's). */
  onSignedIn(credentials: Credentials, username: string): void;
  /** Another tab signed out. */
  onSignedOut(): void;
}

export interface OpenTabs {
  /**
   * The credentials of a signed-in tab, for a tab opened without any: null at once when no tab
   * holds the signed-in lock, else the first answer, or null after `answerTimeoutMs`.
   * `onWaiting` is called when an answer is awaited (to say "Signing in…").
   */
  askCredentials(onWaiting?: () => void): Promise<Credentials | null>;
  announceSignIn(credentials: Credentials, username: string): void;
  announceSignOut(): void;
  /** Stops listening; an ask in progress resolves null. */
  close(): void;
}

function newAskId(): string {
  return Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(16)).join("");
}

/**
 * Connects this tab to the other tabs of this page: answers their asks with
 * `listener.shareableCredentials()` and passes on their sign-ins and sign-outs. Messages that
 * do not parse are ignored. Null when the browser has no BroadcastChannel.
 */
export function connectToOpenTabs(
  listener: TabListener,
  environment: TabEnvironment = browserEnvironment(),
): OpenTabs | null {
  const {
    BroadcastChannel: Channel,
    locks,
    page,
    answerTimeoutMs = ANSWER_TIMEOUT_MS,
  } = environment;
  if (!Channel) return null;
  let channel: Channel;
  try {
    channel = new Channel(CHANNEL_NAME);
  } catch {
    return null;
  }
  /** The page is in the back/forward cache: its channel is closed until it is shown again. */
  let isAway = false;
  const asking = new Map<string, (credentials: Credentials | null) => void>();
  let isClosed = false;
  const post = (message: TabMessage) => {
    if (isClosed || isAway) return;
    try {
      channel.postMessage(message);
    } catch {
      // A channel the browser closed (page being torn down): nobody left to tell.
    }
  };

  const onMessage = (event: MessageEvent) => {
    const message = parseTabMessage(event.data);
    if (!message) return;
    switch (message.type) {
      case "ask": {
        const credentials = listener.shareableCredentials();
        if (credentials) post({ type: "answer", id: message.id, credentials });
        return;
      }
      case "answer":
        asking.get(message.id)?.(message.credentials);
        return;
      case "signed-in":
        listener.onSignedIn(message.credentials, message.username);
        return;
      case "signed-out":
        listener.onSignedOut();
        return;
    }
  };
  channel.addEventListener("message", onMessage);
  // Away in the back/forward cache, the page hears nothing (a sign-out meanwhile is found by
  // its mark when it is shown: sign-out-mark.ts); shown again, it listens on a new channel.
  const stopWatching = whileInHistory(
    page,
    () => {
      isAway = true;
      channel.removeEventListener("message", onMessage);
      channel.close();
    },
    () => {
      if (isClosed) return;
      try {
        channel = new Channel(CHANNEL_NAME);
        channel.addEventListener("message", onMessage);
        isAway = false;
      } catch {
        // No channel again: this tab now hears no other, as in a browser without one.
      }
    },
  );

  return {
    async askCredentials(onWaiting) {
      if (!(await isAnyTabSignedIn(locks)) || isClosed) return null;
      onWaiting?.();
      const id = newAskId();
      return new Promise<Credentials | null>((resolve) => {
        const timer = setTimeout(() => finish(null), answerTimeoutMs);
        function finish(credentials: Credentials | null) {
          clearTimeout(timer);
          asking.delete(id);
          resolve(credentials);
        }
        asking.set(id, finish);
        post({ type: "ask", id });
      });
    },
    announceSignIn(credentials, username) {
      post({ type: "signed-in", credentials, username });
    },
    announceSignOut() {
      post({ type: "signed-out" });
    },
    close() {
      if (isClosed) return;
      isClosed = true;
      stopWatching();
      channel.removeEventListener("message", onMessage);
      channel.close();
      for (const finish of [...asking.values()]) finish(null);
    },
  };
}
