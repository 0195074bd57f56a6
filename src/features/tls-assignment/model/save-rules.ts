// Saving the rules, as a plain async function over injected steps (read, write, the pending
// list), so that the loop is tested without a page: re-read first (two admins at once), write
// the whole `tls` with the read-back in the same request, and compare (shared wire reference
// §10-§11: "updated" does not prove anything was stored).

import type { SetError } from "../../../jmap/protocol";
import type { SaveWithReload } from "../../../pending-apply/contracts";
import type { PendingChange } from "../../../pending-apply/pending-changes";
import type { TlsRules, TlsRulesWrite } from "../../../stalwart/outbound-tls-rules";
import type { ReloadOutcome } from "../../../stalwart/reload-settings";
import { sameRules } from "./read-back";

export interface SaveSteps {
  /** The rules as stored now. */
  read: () => Promise<TlsRules>;
  write: (rules: TlsRules, apply: boolean) => Promise<TlsRulesWrite>;
  effects: SaveWithReload;
}

export type SaveResult =
  /** Someone else changed the rules since `opened`: nothing was written. */
  | { kind: "clash"; theirs: TlsRules }
  /** Stored exactly as sent, as the read-back shows. */
  | { kind: "saved"; stored: TlsRules; reload?: ReloadOutcome; isReloadUnknown: boolean }
  /** "Updated", but the read-back shows other rules. */
  | { kind: "notStored"; stored: TlsRules }
  /** "Updated", but the rules could not be read back: whether they are stored is unknown. */
  | { kind: "unseen" }
  /** Refused: the server's SetError or method error, as sent. */
  | { kind: "refused"; setError: SetError };

/** The pending-apply entry of a change of the rules: "TLS rules changed". */
export function rulesChange(before: TlsRules, after: TlsRules): PendingChange {
  return {
    object: "MtaOutboundStrategy",
    id: "singleton",
    name: "TLS rules",
    kind: "updated",
    changes: [
      {
        property: "tls",
        label: "TLS rules",
        from: JSON.stringify(before),
        to: JSON.stringify(after),
      },
    ],
  };
}

const known = (reload: TlsRulesWrite["reload"]) =>
  reload && !("unreadable" in reload) ? reload : undefined;
const unreadable = (reload: TlsRulesWrite["reload"]) =>
  reload && "unreadable" in reload ? reload.unreadable : undefined;

/**
 * Saves `mine` over the rules the view was opened with (`opened`). Unless `overwrite`, it
 * reads the rules again first and returns a clash when they differ from `opened`. A save that
 * the read-back confirms joins the pending list (or is applied by the reload that rode along,
 * with `apply`); one the server stored differently is recorded as what it stored.
 * @throws what the read or the request throws (nothing known was written).
 */
export async function saveRules(
  mine: TlsRules,
  opened: TlsRules,
  { apply, overwrite }: { apply: boolean; overwrite: boolean },
  steps: SaveSteps,
): Promise<SaveResult> {
  const before = await steps.read();
  if (!overwrite && !sameRules(before, opened)) return { kind: "clash", theirs: before };
  const mark = apply ? await steps.effects.mark() : 0;
  const written = await steps.write(mine, apply);
  const reload = known(written.reload);
  if (!written.isUpdated) {
    await steps.effects.notSaved(reload, mark, unreadable(written.reload));
    return { kind: "refused", setError: written.setError ?? { type: "serverFail" } };
  }
  if ("unreadable" in written.readBack) {
    await steps.effects.saved(rulesChange(before, mine), reload, mark, unreadable(written.reload));
    return { kind: "unseen" };
  }
  const stored = written.readBack;
  if (!sameRules(stored, mine)) {
    if (sameRules(stored, before))
      await steps.effects.notSaved(reload, mark, unreadable(written.reload));
    else
      await steps.effects.saved(
        rulesChange(before, stored),
        reload,
        mark,
        unreadable(written.reload),
      );
    return { kind: "notStored", stored };
  }
  await steps.effects.saved(rulesChange(before, stored), reload, mark, unreadable(written.reload));
  return {
    kind: "saved",
    stored,
    reload,
    isReloadUnknown: unreadable(written.reload) !== undefined,
  };
}
