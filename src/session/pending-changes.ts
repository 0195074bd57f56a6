import { useQuery } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import * as z from "zod/mini";
import type { JmapClient, Session } from "../jmap/client";
import { sessionQuery, useJmapClient } from "./auth";

// Saved is not applied (shared wire reference §11): Stalwart keeps delivering with the
// settings it loaded until they are reloaded, and nothing on the wire says what is still
// pending. The page can only know what it saved itself, so it keeps that list: in this
// browser's localStorage, per server and user, shared by every tab of this page, cleared by a
// successful reload. It holds names and values in words, never a credential.

/** One object changed since the settings were last applied, described in words. */
export interface PendingChange {
  /** The object's kind as the server names it, e.g. "MtaTlsStrategy". */
  object: string;
  id: string;
  name: string;
  kind: "created" | "updated" | "deleted";
  /** For an update: each property that changed, from its value at the last apply. */
  changes: { property: string; label: string; from: string; to: string }[];
}

const pendingChangeSchema = z.object({
  object: z.string(),
  id: z.string(),
  name: z.string(),
  kind: z.enum(["created", "updated", "deleted"]),
  changes: z.array(
    z.object({ property: z.string(), label: z.string(), from: z.string(), to: z.string() }),
  ),
});
const storedSchema = z.object({ version: z.literal(1), changes: z.array(pendingChangeSchema) });

const PREFIX = "stalwart-tls-strategies.pending:";

/**
 * Adds one change to the list, merged with what is already there for the same object: a
 * created object stays "created" when updated, and vanishes when deleted (it was never
 * applied); updates combine property by property, keeping the value at the last apply, and
 * an update that returns every property to that value leaves nothing pending.
 */
export function withChange(list: readonly PendingChange[], change: PendingChange): PendingChange[] {
  const index = list.findIndex((c) => c.object === change.object && c.id === change.id);
  const existing = list[index];
  const replace = (next: PendingChange | null) =>
    next === null
      ? list.filter((_, i) => i !== index)
      : list.map((c, i) => (i === index ? next : c));
  if (!existing) {
    if (change.kind === "updated" && change.changes.length === 0) return [...list];
    return [...list, change];
  }
  if (change.kind === "deleted") return replace(existing.kind === "created" ? null : change);
  if (existing.kind === "created") return replace({ ...existing, name: change.name });
  const merged = [...existing.changes];
  for (const next of change.changes) {
    const at = merged.findIndex((c) => c.property === next.property);
    const previous = merged[at];
    if (!previous) merged.push(next);
    else merged[at] = { ...previous, to: next.to };
  }
  const remaining = merged.filter((c) => c.from !== c.to);
  return replace(remaining.length === 0 ? null : { ...existing, changes: remaining });
}

/** The storage key of a server and user: no secret, just where and who. */
export function scopeOf(session: Pick<Session, "apiUrl" | "username">): string {
  return `${PREFIX}${new URL(session.apiUrl, globalThis.location?.href).origin} ${session.username}`;
}

// --- The store: localStorage, with the `storage` event for the other tabs -------------------

const listeners = new Set<() => void>();
const snapshots = new Map<string, { raw: string | null; changes: PendingChange[] }>();
const NONE: PendingChange[] = [];

function notify() {
  for (const listener of listeners) listener();
}

if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key === null || event.key.startsWith(PREFIX)) notify();
  });
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

/** The list for a scope, as stored; the same array while nothing changed (for React). */
export function readPending(key: string): PendingChange[] {
  const raw = readRaw(key);
  const cached = snapshots.get(key);
  if (cached && cached.raw === raw) return cached.changes;
  let changes = NONE;
  if (raw !== null) {
    try {
      const parsed = storedSchema.safeParse(JSON.parse(raw));
      if (parsed.success) changes = parsed.data.changes;
    } catch {
      // Unreadable: treated as empty, and replaced at the next write.
    }
  }
  snapshots.set(key, { raw, changes });
  return changes;
}

function writePending(key: string, changes: PendingChange[]) {
  try {
    if (changes.length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify({ version: 1, changes }));
  } catch {
    // Storage full or refused: the list lives on in this tab only until it is reloaded.
    snapshots.set(key, { raw: `unsaved:${Date.now()}`, changes });
  }
  notify();
}

/** Records a change the page just saved, for the server and user of `client`. */
export async function recordPendingChange(client: JmapClient, change: PendingChange) {
  const key = scopeOf(await client.session());
  writePending(key, withChange(readPending(key), change));
}

/** Forgets every pending change of the server and user of `client`: they are applied. */
export async function clearPendingChanges(client: JmapClient) {
  writePending(scopeOf(await client.session()), []);
}

/** The changes saved from this browser, for this server and user, not applied yet. */
export function usePendingChanges(): PendingChange[] {
  const client = useJmapClient();
  const session = useQuery(sessionQuery(client)).data;
  const key = session ? scopeOf(session) : null;
  const getSnapshot = useCallback(() => (key ? readPending(key) : NONE), [key]);
  return useSyncExternalStore(subscribe, getSnapshot, () => NONE);
}
