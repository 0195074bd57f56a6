import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { Link } from "wouter";
import { Notice } from "../components/notice";
import { ShownText } from "../components/shown-text";
import type { JmapClient } from "../jmap/client";
import { describeError } from "../jmap/describe-error";
import { useAnnouncements } from "./announcements";
import { useAuth, useWithReauthentication } from "./auth";
import {
  markApplied,
  markApplyFailed,
  type PendingChange,
  pendingMark,
  recordPendingChange,
  recordPendingChanges,
  type StoredApplyFailure,
  usePendingState,
} from "./pending-changes";
import { usePermissions } from "./permissions";
import {
  describeReloadFailure,
  type ReloadFailure,
  type ReloadOutcome,
  reloadSettings,
} from "./reload-settings";

// Applying saved changes: a settings reload (shared wire reference §11), from the pending
// notice ("Apply now"), from the list ("Reload settings") or along with a save ("Save and
// apply"). A success clears what was pending when the reload was sent, nothing saved after;
// a failure keeps the list and says why, in every tab.

/** "Applied" in words: what changed, and what a cluster does (shared wire reference §11). */
export const APPLIED =
  "Delivery now uses the saved settings on this node. In a cluster, the other nodes reload on their own; a failure there shows only in their logs.";

/** Why a reload's outcome is not known: the request or its answer was lost. */
const unknownOutcome = (error: unknown): StoredApplyFailure => ({
  kind: "unknown",
  message: `${describeError(error)} Whether the settings were reloaded is not known; the list of changes is kept. Applying again is safe.`,
});

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

interface ApplyValue {
  isApplying: boolean;
  /** Reloads the settings now; resolves to the outcome, or null when no answer came. */
  apply: (options?: { announce?: boolean }) => Promise<ReloadOutcome | null>;
  forSave: (client: JmapClient) => SaveWithReload;
}

const ApplyContext = createContext<ApplyValue | null>(null);

export function ApplyProvider({ children }: { children: ReactNode }) {
  const { client } = useAuth();
  const withReauthentication = useWithReauthentication();
  const { announce } = useAnnouncements();
  const [isApplying, setIsApplying] = useState(false);

  const settle = useCallback(async (target: JmapClient, outcome: ReloadOutcome, mark: number) => {
    if (outcome.isApplied) await markApplied(target, mark);
    else await markApplyFailed(target, { kind: "refused", failure: outcome.failure });
  }, []);

  const apply = useCallback(
    async ({ announce: shouldAnnounce = true }: { announce?: boolean } = {}) => {
      if (!client) return null;
      setIsApplying(true);
      try {
        const mark = await pendingMark(client);
        const outcome = await withReauthentication(() => reloadSettings(client));
        await settle(client, outcome, mark);
        if (outcome.isApplied && shouldAnnounce) {
          announce(<Notice tone="success">Applied. {APPLIED}</Notice>, { focus: true });
        }
        return outcome;
      } catch (error) {
        await markApplyFailed(client, unknownOutcome(error));
        return null;
      } finally {
        setIsApplying(false);
      }
    },
    [client, withReauthentication, settle, announce],
  );

  const forSave = useCallback(
    (target: JmapClient): SaveWithReload => ({
      mark: () => pendingMark(target),
      saved: async (change, reload, mark, unreadable) => {
        if (reload?.isApplied) {
          await markApplied(target, mark);
          return;
        }
        await recordPendingChange(target, change);
        if (reload) await settle(target, reload, mark);
        else if (unreadable !== undefined)
          await markApplyFailed(target, unknownOutcome(unreadable));
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
    }),
    [settle, announce],
  );

  const value = useMemo(() => ({ isApplying, apply, forSave }), [isApplying, apply, forSave]);
  return <ApplyContext value={value}>{children}</ApplyContext>;
}

export function useApply(): ApplyValue {
  const value = useContext(ApplyContext);
  if (!value) throw new Error("useApply must be used inside <ApplyProvider>.");
  return value;
}

/** "default: STARTTLS Optional → Required", "relay-eu created", "old-relay deleted". */
function PendingChangeText({ change }: { change: PendingChange }) {
  const name = <ShownText text={change.name} />;
  if (change.kind === "created") return <>{name} created</>;
  if (change.kind === "deleted") return <>{name} deleted</>;
  return (
    <>
      {name}
      {change.kind === "recreated" ? " deleted and created again" : ""}
      {change.changes.length > 0 ? ": " : ""}
      {change.changes.map((c, index) => (
        <span key={c.property}>
          {index > 0 ? ", " : ""}
          {c.label} <ShownText text={c.from} kind="text" /> → <ShownText text={c.to} kind="text" />
        </span>
      ))}
    </>
  );
}

/** Where the page shows an object a failed reload names, and what it calls it. */
export type ObjectLink = (objectId: { object: string; id: string }) => {
  href: string;
  label: string;
} | null;

/** Why the last reload failed, in words, with a link to the object when the page has one. */
function ApplyFailureText({
  failure,
  objectLink,
}: {
  failure: StoredApplyFailure;
  objectLink: ObjectLink;
}) {
  if (failure.kind === "unknown") return <p>{failure.message}</p>;
  const text = describeReloadFailure(failure.failure as ReloadFailure);
  // A missing object cannot be opened; one that failed to build can.
  const isMissing =
    failure.failure.kind === "setError" && failure.failure.error.type === "notFound";
  const link = text.objectId && !isMissing ? objectLink(text.objectId) : null;
  return (
    <>
      <p>
        Not applied: nothing changed in the running configuration, and Stalwart keeps delivering
        with the previous settings. {text.summary}
      </p>
      {text.details.length > 0 ? (
        <ul>
          {text.details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      ) : null}
      {link ? (
        <p>
          <Link href={link.href}>
            Open <ShownText text={link.label} />
          </Link>
        </p>
      ) : null}
    </>
  );
}

/**
 * The persistent notice of changes saved but not applied, on every page: what changed since
 * the last apply from this browser, and Apply now (or, without the permissions, who must).
 */
export function PendingApplyNotice({ objectLink }: { objectLink: ObjectLink }) {
  const { changes, failure, isOnlyInThisTab } = usePendingState();
  const { isApplying, apply } = useApply();
  const permissions = usePermissions();
  if (changes.length === 0 && !failure) return null;
  const heading =
    changes.length > 0
      ? "Saved, not applied yet"
      : failure?.kind === "unknown"
        ? "Settings reload: outcome unknown"
        : "Settings not reloaded";
  return (
    <section className="pending-apply" aria-labelledby="pending-apply-heading">
      <h2 id="pending-apply-heading">{heading}</h2>
      {changes.length > 0 ? (
        <>
          <p>
            Stalwart keeps delivering with the previous settings until they are reloaded. Saved from
            this browser since its last apply:
          </p>
          <ul className="pending-list">
            {changes.map((change) => (
              <li key={`${change.object}:${change.id}`}>
                <PendingChangeText change={change} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {isOnlyInThisTab ? (
        <p>This browser refused to store the list, so only this tab keeps it.</p>
      ) : null}
      {failure ? (
        <div role="alert" className="notice notice-error">
          <ApplyFailureText failure={failure} objectLink={objectLink} />
        </div>
      ) : null}
      {!permissions.isKnown ? null : permissions.canReloadSettings ? (
        <>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => void apply()}
              disabled={isApplying}
            >
              {isApplying ? "Applying…" : "Apply now"}
            </button>
          </div>
          <p className="muted">
            Applying reloads every saved setting, including changes other admins or tools saved,
            which cannot be seen here.
          </p>
        </>
      ) : (
        <p>
          An administrator must reload Stalwart's settings for these changes to take effect: your
          account is not allowed to reload them. Changes saved by other admins or tools cannot be
          seen here.
        </p>
      )}
    </section>
  );
}
