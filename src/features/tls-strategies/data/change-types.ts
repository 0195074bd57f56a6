import type { SetError } from "../../../jmap/protocol";
import type { PageView } from "../../../stalwart/tls-strategy";

// Shapes shared by the code that changes strategies (send-changes.ts, loaded with a change)
// and the eager code that asks for a change or shows its results: they live here, below
// both, so the code loaded on demand never imports the module that loads it.

/** What a delete asks for (useDestroyTlsStrategies). */
export interface DestroyRequest {
  ids: string[];
  /** The names the admin saw, for the pending list; the cache fills in the others. */
  names?: ReadonlyMap<string, string>;
  refresh?: PageView;
  /**
   * Called after each batch of maxObjectsInSet ids is answered, with how many ids were sent
   * so far and how many in all. With a callback, each batch is a request of its own.
   */
  onProgress?: (sent: number, total: number) => void;
}

/** What a delete did: the ids gone, and each one that was not with the server's reason. */
export interface DestroyOutcome {
  destroyed: string[];
  failed: { id: string; error: SetError }[];
}

/** A reload whose answer could not be read: it may or may not have run. */
export interface UnreadableReload {
  unreadable: unknown;
}

/** Every stored name by id, and for each strategy whose name looks like others', those names. */
export interface StoredNames {
  names: ReadonlyMap<string, string>;
  lookalikes: ReadonlyMap<string, string[]>;
}

/** The key of storedNamesQuery: not under "tls-strategies", so a change does not refetch it. */
export const STORED_NAMES_KEY = ["tls-strategy-names"] as const;

