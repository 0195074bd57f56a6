import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { Link } from "wouter";
import { Notice } from "../components/notice";
import { ShownText } from "../components/shown-text";
import { describeError } from "../jmap/describe-error";
import { useAnnouncements } from "./announcements";
import { useAuth, useWithReauthentication } from "./auth";
import { clearPendingChanges, type PendingChange, usePendingChanges } from "./pending-changes";
import { usePermissions } from "./permissions";
import {
  describeReloadFailure,
  type ReloadFailure,
  type ReloadOutcome,
  reloadSettings,
} from "./reload-settings";

// Applying saved changes: a settings reload (shared wire reference §11), from the pending
// notice ("Apply now"), from the list ("Reload settings") or along with a save ("Save and
// apply"). A success clears the pending list; a failure keeps it and says why.

/** The last reload that did not go through, until the next one that does. */
export type ApplyFailure =
  | { kind: "refused"; failure: ReloadFailure }
  | { kind: "unknown"; message: string };

interface ApplyValue {
  failure: ApplyFailure | null;
  isApplying: boolean;
  /** Reloads the settings now; resolves to the outcome, or null when no answer came. */
  apply: () => Promise<ReloadOutcome | null>;
  /** Takes in the outcome of a reload that rode along with a save. */
  report: (outcome: ReloadOutcome) => Promise<void>;
}

const ApplyContext = createContext<ApplyValue | null>(null);

/** "Applied" in words: what changed, and what a cluster does (shared wire reference §11). */
export const APPLIED =
  "Delivery now uses the saved settings on this node. In a cluster, the other nodes reload on their own; a failure there shows only in their logs.";

export function ApplyProvider({ children }: { children: ReactNode }) {
  const { client } = useAuth();
  const withReauthentication = useWithReauthentication();
  const { announce } = useAnnouncements();
  const [failure, setFailure] = useState<ApplyFailure | null>(null);
  const [isApplying, setIsApplying] = useState(false);

  const report = useCallback(
    async (outcome: ReloadOutcome) => {
      if (!client) return;
      if (outcome.isApplied) {
        setFailure(null);
        await clearPendingChanges(client);
      } else {
        setFailure({ kind: "refused", failure: outcome.failure });
      }
    },
    [client],
  );

  const apply = useCallback(async () => {
    if (!client) return null;
    setIsApplying(true);
    try {
      const outcome = await withReauthentication(() => reloadSettings(client));
      await report(outcome);
      if (outcome.isApplied) {
        announce(<Notice tone="success">Applied. {APPLIED}</Notice>);
      }
      return outcome;
    } catch (error) {
      setFailure({
        kind: "unknown",
        message: `${describeError(error)} Whether the settings were reloaded is not known; the list of changes is kept. Applying again is safe.`,
      });
      return null;
    } finally {
      setIsApplying(false);
    }
  }, [client, withReauthentication, report, announce]);

  const value = useMemo(
    () => ({ failure, isApplying, apply, report }),
    [failure, isApplying, apply, report],
  );
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
      {name}:{" "}
      {change.changes.map((c, index) => (
        <span key={c.property}>
          {index > 0 ? ", " : ""}
          {c.label} <ShownText text={c.from} kind="text" /> → <ShownText text={c.to} kind="text" />
        </span>
      ))}
    </>
  );
}

/** Why the last reload failed, in words, with a link to the object when the page has one. */
function ApplyFailureText({
  failure,
  objectLink,
}: {
  failure: ApplyFailure;
  objectLink: (objectId: { object: string; id: string }) => string | null;
}) {
  if (failure.kind === "unknown") {
    return <p>{failure.message}</p>;
  }
  const text = describeReloadFailure(failure.failure);
  const link = text.objectId ? objectLink(text.objectId) : null;
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
      {link && text.objectId ? (
        <p>
          <Link href={link}>
            Open the TLS strategy “<ShownText text={text.objectId.id} />”
          </Link>
        </p>
      ) : null}
    </>
  );
}

/**
 * The persistent notice of changes saved but not applied, on every page: what changed since
 * the last apply, and Apply now (or, without the permissions, who must apply).
 */
export function PendingApplyNotice({
  objectLink,
}: {
  /** Where the page shows an object a failed reload names, or null if it does not. */
  objectLink: (objectId: { object: string; id: string }) => string | null;
}) {
  const pending = usePendingChanges();
  const { failure, isApplying, apply } = useApply();
  const permissions = usePermissions();
  if (pending.length === 0 && !failure) return null;
  return (
    <section className="pending-apply" aria-labelledby="pending-apply-heading">
      <h2 id="pending-apply-heading">
        {pending.length > 0 ? "Saved, not applied yet" : "Settings not reloaded"}
      </h2>
      {pending.length > 0 ? (
        <>
          <p>
            Stalwart keeps delivering with the previous settings until they are reloaded. Saved here
            since the last apply:
          </p>
          <ul className="pending-list">
            {pending.map((change) => (
              <li key={`${change.object}:${change.id}`}>
                <PendingChangeText change={change} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {failure ? (
        <div role="alert" className="notice notice-error">
          <ApplyFailureText failure={failure} objectLink={objectLink} />
        </div>
      ) : null}
      {permissions.canReloadSettings ? (
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
      ) : (
        <p>
          An administrator must reload Stalwart's settings for these changes to take effect: your
          account is not allowed to reload them.
        </p>
      )}
      <p className="muted">
        Only changes saved in this browser are listed: saves made by other admins or tools cannot be
        seen here. Applying reloads every saved setting, theirs included.
      </p>
    </section>
  );
}
