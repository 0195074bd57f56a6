import type { ReactNode } from "react";
import { describeError } from "../components/describe-error";
import { Notice } from "../components/notice";
import type { JmapClient } from "../jmap/client";
import { type ReloadOutcome, reloadSettings } from "../stalwart/reload-settings";
import type { SaveWithReload } from "./contracts";
import type { StoredApplyFailure } from "./pending-changes";
import {
  markApplied,
  markApplyFailed,
  pendingMark,
  recordPendingChange,
  recordPendingChanges,
} from "./pending-writes";

// Applying saved changes, and what a save does about them once answered: the code behind
// ApplyProvider (apply.tsx), loaded with the code that saves or when Apply is pressed, not
// with the list (README, "Speed"). A settings reload (shared wire reference §11) clears what
// was pending when it was sent, nothing saved after; a failure keeps the list and says why,
// in every tab.

/** "Applied" in words: what changed, and what a cluster does (shared wire reference §11). */
export const APPLIED =
  "Delivery now uses the saved settings on this node. In a cluster, the other nodes reload on their own; a failure there shows only in their logs.";

/** Why a reload's outcome is not known: the request or its answer was lost. */
const unknownOutcome = (error: unknown): StoredApplyFailure => ({
  kind: "unknown",
  message: `${describeError(error)} Whether the settings were reloaded is not known; the list of changes is kept. Applying again is safe.`,
});

/** What the provider lends the runner: its sign-in renewal and its announcements. */
export interface ApplyDeps {
  withReauthentication: <T>(action: () => Promise<T>) => Promise<T>;
  announce: (content: ReactNode, options?: { path?: string; focus?: boolean }) => void;
}

async function settle(target: JmapClient, outcome: ReloadOutcome, mark: number) {
  if (outcome.isApplied) await markApplied(target, mark);
  else await markApplyFailed(target, { kind: "refused", failure: outcome.failure });
}

/**
 * Reloads the settings now for `client`; resolves to the outcome, or null when no answer
 * came (then the failure is kept as "outcome unknown"). With `announce`, a success is told
 * on the view at `path`, the one the apply was asked from.
 */
export async function runApply(
  client: JmapClient,
  { withReauthentication, announce }: ApplyDeps,
  { path, shouldAnnounce }: { path: string; shouldAnnounce: boolean },
): Promise<ReloadOutcome | null> {
  try {
    const mark = await pendingMark(client);
    const outcome = await withReauthentication(() => reloadSettings(client));
    await settle(client, outcome, mark);
    if (outcome.isApplied && shouldAnnounce) {
      announce(<Notice tone="success">Applied. {APPLIED}</Notice>, { path, focus: true });
    }
    return outcome;
  } catch (error) {
    await markApplyFailed(client, unknownOutcome(error));
    return null;
  }
}

/** What a save does about the pending list and a reload that rode along (SaveWithReload). */
export function saveEffects(target: JmapClient, { announce }: ApplyDeps): SaveWithReload {
  return {
    mark: () => pendingMark(target),
    saved: async (change, reload, mark, unreadable) => {
      if (reload?.isApplied) {
        await markApplied(target, mark);
        return;
      }
      await recordPendingChange(target, change);
      if (reload) await settle(target, reload, mark);
      else if (unreadable !== undefined) await markApplyFailed(target, unknownOutcome(unreadable));
    },
    savedAll: (changes) => recordPendingChanges(target, changes),
    notSaved: async (reload, mark, unreadable) => {
      if (unreadable !== undefined) await markApplyFailed(target, unknownOutcome(unreadable));
      if (!reload) return;
      await settle(target, reload, mark);
      if (reload.isApplied) {
        announce(
          <Notice tone="info">
            Not saved. The settings were reloaded all the same, so what was saved before is now in
            effect.
          </Notice>,
        );
      }
    },
  };
}
