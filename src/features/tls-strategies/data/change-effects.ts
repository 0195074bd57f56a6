import type { JmapClient } from "../../../jmap/client";
import { useApply } from "../../../pending-apply/apply";
import type { PendingChange } from "../../../pending-apply/pending-changes";
import type { ReloadOutcome } from "../../../stalwart/reload-settings";
import { OBJECT } from "../../../stalwart/tls-strategy";
import type { UnreadableReload } from "./change-types";

/** The settings reload's outcome when its answer could be read, else undefined. */
export const knownReload = (reload: ReloadOutcome | UnreadableReload | undefined) =>
  reload && !("unreadable" in reload) ? reload : undefined;

/** Why a reload's answer could not be read, if it could not. */
const unreadableReason = (reload: ReloadOutcome | UnreadableReload | undefined) =>
  reload && "unreadable" in reload ? reload.unreadable : undefined;

/**
 * What every change does once the server answered: a saved change joins the list of changes
 * not applied yet (shared wire reference §11), and a reload that rode along is settled —
 * applied, it clears what was pending when it was sent, this change included; refused, the
 * list stays and the reason is shown.
 */
export function useChangeEffects(client: JmapClient) {
  const { forSave } = useApply();
  const effects = forSave(client);
  return {
    mark: (apply: boolean) => (apply ? effects.mark() : Promise.resolve(0)),
    saved: (
      change: Omit<PendingChange, "object">,
      reload: ReloadOutcome | UnreadableReload | undefined,
      mark: number,
    ) =>
      effects.saved(
        { object: OBJECT, ...change },
        knownReload(reload),
        mark,
        unreadableReason(reload),
      ),
    savedAll: (changes: Omit<PendingChange, "object">[]) =>
      effects.savedAll(changes.map((change) => ({ object: OBJECT, ...change }))),
    notSaved: (reload: ReloadOutcome | UnreadableReload | undefined, mark: number) =>
      effects.notSaved(knownReload(reload), mark, unreadableReason(reload)),
  };
}

/** What useChangeEffects gives the code that sends a change. */
export type ChangeEffects = ReturnType<typeof useChangeEffects>;
