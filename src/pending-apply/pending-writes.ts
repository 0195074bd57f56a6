import type { JmapClient } from "../jmap/client";
import {
  type PendingChange,
  type PendingState,
  readPending,
  type StoredApplyFailure,
  scopeOf,
  writePending,
} from "./pending-changes";

// Writing the list of changes saved but not applied (pending-changes.ts reads it): loaded
// with the code that saves or applies, not with the list (README, "Speed").

/** The list once a reload sent when `upTo` was the last recorded change has succeeded. */
export function afterApply(state: PendingState, upTo: number): PendingState {
  return {
    nextSeq: state.nextSeq,
    changes: state.changes.filter((change) => (change.seq ?? 0) > upTo),
  };
}

/**
 * Changes the state of a scope, one writer at a time across the tabs of this browser (the
 * Web Locks API where there is one), so two tabs saving at once both land in the list.
 */
async function update(key: string, change: (state: PendingState) => PendingState) {
  const run = () => writePending(key, change(readPending(key)));
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) await locks.request(key, run);
  else run();
}

/** Records a change the page just saved, for the server and user of `client`. */
export async function recordPendingChange(client: JmapClient, change: PendingChange) {
  await recordPendingChanges(client, [change]);
}

/**
 * Records changes the page just saved, in order, in one write (one lock, one `storage` event
 * for the other tabs): a bulk delete of thousands of strategies costs one write, not one each.
 */
export async function recordPendingChanges(client: JmapClient, changes: readonly PendingChange[]) {
  if (changes.length === 0) return;
  // The merge loads with the form (preloadSaveCode). Should it fail to load (offline, a new
  // deployment), the change is still recorded, unmerged: a save that succeeded must never
  // look failed, nor its change go unlisted.
  const withChange = await import("./pending-merge").then(
    (module) => module.withChange,
    () => (list: readonly PendingChange[], change: PendingChange) => [...list, change],
  );
  await update(scopeOf(await client.session()), (state) => {
    let list = state.changes;
    let seq = state.nextSeq;
    for (const change of changes) list = withChange(list, { ...change, seq: seq++ });
    return { ...state, nextSeq: seq, changes: list };
  });
}

/** The last recorded change's number: a reload sent now applies everything up to it. */
export async function pendingMark(client: JmapClient): Promise<number> {
  return readPending(scopeOf(await client.session())).nextSeq - 1;
}

/** A reload sent at `upTo` succeeded: what was recorded before it is applied. */
export async function markApplied(client: JmapClient, upTo: number) {
  await update(scopeOf(await client.session()), (state) => afterApply(state, upTo));
}

/** A reload failed, or its outcome is unknown: every tab shows why, the list stays. */
export async function markApplyFailed(client: JmapClient, failure: StoredApplyFailure) {
  await update(scopeOf(await client.session()), (state) => ({ ...state, failure }));
}
