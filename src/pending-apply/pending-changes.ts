import { useQuery } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import * as z from "zod/mini";
import type { Session } from "../jmap/wire";

import { useJmapClient } from "../session/auth";
import { sessionQuery } from "../stalwart/account";

// Saved is not applied (shared wire reference §11): Stalwart keeps delivering with the
// settings it loaded until they are reloaded, and nothing on the wire says what is still
// pending. The page can only know what it saved itself, so it keeps that list: in this
// browser's localStorage, per server and user, shared by every tab of this page, cleared by a
// successful reload. It holds names and values in words, never a credential. This module
// reads the list (for every page); pending-writes.ts, loaded with the code that saves or
// applies, writes it.

/** One property's value in words, as a change or a snapshot shows it. */
export interface ValueInWords {
  property: string;
  label: string;
  value: string;
}

/** One object changed since the settings were last applied, described in words. */
export interface PendingChange {
  /** The object's kind as the server names it, e.g. "MtaTlsStrategy". */
  object: string;
  id: string;
  name: string;
  /**
   * "recreated": deleted and created again under the same name; Stalwart picks strategies by
   * name, so to delivery it is a change of values.
   */
  kind: "created" | "updated" | "deleted" | "recreated";
  /** For an update (or a re-creation): each property that changed, from its applied value. */
  changes: { property: string; label: string; from: string; to: string }[];
  /** For a creation or deletion: the values, so that a re-creation can say what differs. */
  values?: ValueInWords[];
  /** Order of recording: a reload applies what was recorded before it was sent. */
  seq?: number;
}

/** Why the last apply did not go through, kept beside the list so every tab shows it. */
export type StoredApplyFailure =
  | {
      kind: "refused";
      failure:
        | { kind: "setError"; error: { type: string; [key: string]: unknown } }
        | { kind: "methodError"; type: string; description: string | undefined };
    }
  | { kind: "unknown"; message: string };

const valueSchema = z.object({ property: z.string(), label: z.string(), value: z.string() });
const pendingChangeSchema = z.object({
  object: z.string(),
  id: z.string(),
  name: z.string(),
  kind: z.enum(["created", "updated", "deleted", "recreated"]),
  changes: z.array(
    z.object({ property: z.string(), label: z.string(), from: z.string(), to: z.string() }),
  ),
  values: z.optional(z.array(valueSchema)),
  seq: z.optional(z.number()),
});
const failureSchema = z.union([
  z.object({
    kind: z.literal("refused"),
    failure: z.union([
      z.object({ kind: z.literal("setError"), error: z.looseObject({ type: z.string() }) }),
      z.object({
        kind: z.literal("methodError"),
        type: z.string(),
        description: z.optional(z.string()),
      }),
    ]),
  }),
  z.object({ kind: z.literal("unknown"), message: z.string() }),
]);
const storedSchema = z.object({
  version: z.literal(1),
  nextSeq: z.number(),
  changes: z.array(pendingChangeSchema),
  failure: z.optional(failureSchema),
});

/** What is stored for one server and user. */
export interface PendingState {
  changes: PendingChange[];
  nextSeq: number;
  /** The last apply's failure, until an apply succeeds. */
  failure?: StoredApplyFailure;
  /** True when the browser refused to store the list: it then lives in this tab only. */
  isOnlyInThisTab?: boolean;
}

const PREFIX = "stalwart-tls-strategies.pending:";
const EMPTY: PendingState = { changes: [], nextSeq: 1 };

/** The storage key of a server and user: no secret, just where and who. */
export function scopeOf(session: Pick<Session, "apiUrl" | "username">): string {
  return `${PREFIX}${new URL(session.apiUrl, globalThis.location?.href).origin} ${session.username}`;
}

// --- The store: localStorage, with the `storage` event for the other tabs -------------------

const listeners = new Set<() => void>();
const snapshots = new Map<string, { raw: string | null; state: PendingState }>();
/** Lists the browser refused to store: kept in this tab, in memory. */
const inMemory = new Map<string, PendingState>();

function notify() {
  for (const listener of listeners) listener();
}

/** Hears the other tabs' writes of the list (the `storage` event); main.tsx calls it once. */
export function installPendingStore(): void {
  window.addEventListener("storage", (event) => {
    if (event.key === null || event.key.startsWith(PREFIX)) notify();
  });
}

/**
 * Reads the stored lists again for every view of them: for a page shown again from the
 * back/forward cache, which heard none of the `storage` events of the time it was away.
 */
export function refreshPendingState(): void {
  notify();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function readRaw(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** The state for a scope, as stored; the same object while nothing changed (for React). */
export function readPending(key: string): PendingState {
  const kept = inMemory.get(key);
  if (kept) return kept;
  const raw = readRaw(key);
  const cached = snapshots.get(key);
  if (cached && cached.raw === raw) return cached.state;
  let state = EMPTY;
  if (raw !== null) {
    try {
      const parsed = storedSchema.safeParse(JSON.parse(raw));
      if (parsed.success) state = parsed.data as PendingState;
    } catch {
      // Unreadable: treated as empty, and replaced at the next write.
    }
  }
  snapshots.set(key, { raw, state });
  return state;
}

/** Stores the state of a scope and tells every view of it (pending-writes.ts). */
export function writePending(key: string, state: PendingState) {
  const { isOnlyInThisTab: _, ...stored } = state;
  try {
    if (stored.changes.length === 0 && !stored.failure) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify({ version: 1, ...stored }));
    inMemory.delete(key);
  } catch {
    // Storage full or refused: the list lives on in this tab, and says so.
    inMemory.set(key, { ...stored, isOnlyInThisTab: true });
  }
  notify();
}

/** The changes saved from this browser, for this server and user, not applied yet. */
export function usePendingState(): PendingState {
  const client = useJmapClient();
  const session = useQuery(sessionQuery(client)).data;
  const key = session ? scopeOf(session) : null;
  const getSnapshot = useCallback(() => (key ? readPending(key) : EMPTY), [key]);
  return useSyncExternalStore(subscribe, getSnapshot, () => EMPTY);
}

/** The changes saved from this browser, for this server and user, not applied yet. */
export function usePendingChanges(): PendingChange[] {
  return usePendingState().changes;
}
