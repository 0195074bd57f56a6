import * as z from "zod/mini";
import {
  adoptingFetch,
  CREDENTIALS_KEY,
  EARLY_KEY,
  noteDataRequest,
  SESSION_KEY,
} from "../boot/early-replay";
import { forgetSignedIn, isSignedOutElsewhere, noteSignedIn } from "../boot/sign-out-mark";
import type { Credentials } from "../jmap/authorization";
import { JmapClient } from "../jmap/client";
import { readSessionMemory, type SessionMemory } from "../jmap/wire";

// Credentials live in sessionStorage only (CREDENTIALS_KEY): they survive a reload of this
// tab, never outlive the browser session, and are never written to localStorage. A new tab of
// the same browser gets them from an open, signed-in tab, in memory over a BroadcastChannel
// (tab-sign-in.ts). Beside them, without a secret: the JMAP session (SESSION_KEY), so a reload
// sends its first data request at once (jmap/client.ts, SessionMemory), and the list's first
// requests (EARLY_KEY), which a reload sends before its JavaScript runs (early-requests.ts).
const sessionCache = {
  get(): SessionMemory {
    try {
      return readSessionMemory(JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "{}"));
    } catch {
      return {};
    }
  },
  set(memory: SessionMemory) {
    try {
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(memory));
    } catch {
      // Storage refused: the next load discovers the session again, nothing more.
    }
  },
};

/** A client over `credentials`, with the session memory and the early requests of this tab. */
export const newClient = (credentials: Credentials) =>
  new JmapClient(credentials, {
    sessionCache,
    fetch: adoptingFetch,
    onDataRequest: noteDataRequest,
  });

const credentialsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("basic"), username: z.string(), password: z.string() }),
  z.object({ kind: z.literal("bearer"), token: z.string() }),
]);

function loadCredentials(): Credentials | null {
  try {
    const stored = sessionStorage.getItem(CREDENTIALS_KEY);
    if (!stored) return null;
    // Some tab signed out while this one was away (closed to history, reloaded later): its
    // credentials are forgotten, not used (sign-out-mark.ts).
    if (isSignedOutElsewhere()) {
      forgetCredentials();
      return null;
    }
    const parsed = credentialsSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

let firstClient: JmapClient | null | undefined;

/**
 * The client of a tab that holds credentials when the page loads (a reload), or null: made
 * once, so the page's first requests can leave before the first render (main.tsx) on the
 * very client the AuthProvider then starts with.
 */
export function startingClient(): JmapClient | null {
  if (firstClient === undefined) {
    const credentials = loadCredentials();
    firstClient = credentials ? newClient(credentials) : null;
  }
  return firstClient;
}

/** Keeps the credentials; the early requests, made for the ones before, are dropped. */
export function keepCredentials(credentials: Credentials) {
  sessionStorage.setItem(CREDENTIALS_KEY, JSON.stringify(credentials));
  sessionStorage.removeItem(EARLY_KEY);
  noteSignedIn();
}

/** Forgets the credentials, the session memory and the early requests of this tab. */
export function forgetCredentials() {
  for (const key of [CREDENTIALS_KEY, SESSION_KEY, EARLY_KEY]) sessionStorage.removeItem(key);
  forgetSignedIn();
}
