import type { ReloadOutcome } from "../stalwart/reload-settings";
import type { PendingChange } from "./pending-changes";

// Shapes shared by the eager part of "saved, not applied" (the provider, the notice's slot)
// and the parts loaded on demand (apply-run.tsx, pending-apply-notice.tsx): below both, so a
// module loaded on demand never imports the one that loads it.

/**
 * For a save that may carry a reload ("Save and apply"): note what is pending before the
 * request, then settle both answers. The save's own change is applied when the reload that
 * followed it in the same request succeeded; otherwise it joins the pending list.
 */
export interface SaveWithReload {
  /** Call before sending: what a reload in this request will cover. */
  mark: () => Promise<number>;
  /**
   * The save succeeded: record its change, unless the reload after it applied it. With
   * `unreadable`, a reload was sent but its answer could not be read.
   */
  saved: (
    change: PendingChange,
    reload: ReloadOutcome | undefined,
    mark: number,
    unreadable?: unknown,
  ) => Promise<void>;
  /** Several changes saved without a reload (a bulk delete): recorded in one write. */
  savedAll: (changes: readonly PendingChange[]) => Promise<void>;
  /** The save failed; the reload may still have run (shared wire reference §11). */
  notSaved: (
    reload: ReloadOutcome | undefined,
    mark: number,
    unreadable?: unknown,
  ) => Promise<void>;
}

/** Where the page shows an object a failed reload names, and what it calls it. */
export type ObjectLink = (objectId: { object: string; id: string }) => {
  href: string;
  label: string;
} | null;
