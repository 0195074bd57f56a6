import "./pending-apply.css";
import { Link } from "wouter";
import { ShownText } from "../components/shown-text";
import { usePermissions } from "../session/permissions";
import type { ReloadFailure } from "../stalwart/reload-settings";
import { useApply } from "./apply";
import type { ObjectLink } from "./contracts";
import { type PendingChange, type StoredApplyFailure, usePendingState } from "./pending-changes";
import { describeReloadFailure } from "./reload-failure-text";

/**
 * "default: STARTTLS Optional → Required", "relay-eu created", "old-relay deleted", "TLS rules
 * changed".
 */
function PendingChangeText({ change }: { change: PendingChange }) {
  // The outbound strategy's rules (the rules view): what changed is the whole list of rules.
  if (change.object === "MtaOutboundStrategy") return <>TLS rules changed</>;
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

/** Up to this many changes are listed one by one; more are summed up, the list one click away. */
export const LISTED_CHANGES = 5;

const KIND_WORDS: Record<PendingChange["kind"], string> = {
  updated: "changed",
  created: "created",
  deleted: "deleted",
  recreated: "deleted and created again",
};

/**
 * "45 strategies deleted, 2 changed, TLS rules changed": the changes counted by kind, most
 * frequent first, then the rules when they changed.
 */
export function summarizeChanges(changes: readonly PendingChange[]): string {
  const counts = new Map<PendingChange["kind"], number>();
  // The outbound strategy's rules are no strategy: said apart, after them.
  const isRules = (change: PendingChange) => change.object === "MtaOutboundStrategy";
  for (const change of changes)
    if (!isRules(change)) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1]);
  return [
    ...parts.map(([kind, count], index) => {
      const noun = index === 0 ? (count === 1 ? " strategy" : " strategies") : "";
      return `${new Intl.NumberFormat("en").format(count)}${noun} ${KIND_WORDS[kind]}`;
    }),
    ...(changes.some(isRules) ? ["TLS rules changed"] : []),
  ].join(", ");
}

/**
 * What is pending: each change while there are few; past LISTED_CHANGES, a one-line summary
 * ("45 strategies deleted") with the whole list behind "Show all", so the notice never pushes
 * the page it sits on below the fold.
 */
function PendingList({ changes }: { changes: readonly PendingChange[] }) {
  const items = (
    <ul className="pending-list">
      {changes.map((change) => (
        <li key={`${change.object}:${change.id}`}>
          <PendingChangeText change={change} />
        </li>
      ))}
    </ul>
  );
  if (changes.length <= LISTED_CHANGES) return items;
  return (
    <details className="pending-details">
      <summary>
        {summarizeChanges(changes)}{" "}
        <span className="muted">
          (show all {new Intl.NumberFormat("en").format(changes.length)})
        </span>
      </summary>
      {items}
    </details>
  );
}

/**
 * The server's reasons, each quoted with hidden characters shown; past LISTED_CHANGES of
 * them, the first few and the rest one click away, so the notice stays short.
 */
function FailureDetails({ details }: { details: readonly string[] }) {
  if (details.length === 0) return null;
  const item = (detail: string, index: number) => (
    <li key={`${index}:${detail}`}>
      <ShownText text={detail} kind="text" />
    </li>
  );
  if (details.length <= LISTED_CHANGES) return <ul>{details.map(item)}</ul>;
  return (
    <>
      <ul>{details.slice(0, LISTED_CHANGES - 1).map(item)}</ul>
      <details className="pending-details">
        <summary>
          {new Intl.NumberFormat("en").format(details.length - LISTED_CHANGES + 1)} more reasons
        </summary>
        <ul>{details.slice(LISTED_CHANGES - 1).map((detail, index) => item(detail, index))}</ul>
      </details>
    </>
  );
}

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
        with the previous settings. <ShownText text={text.summary} kind="text" />
      </p>
      <FailureDetails details={text.details} />
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
          <PendingList changes={changes} />
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
