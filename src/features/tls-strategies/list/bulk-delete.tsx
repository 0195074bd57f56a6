import type { TlsUsage } from "../../../stalwart/outbound-strategy";
import type { DestroyOutcome } from "../data/change-types";
import { namesToConfirm } from "../model/usage";
import "../../../components/findings.css";
import "./bulk-delete.css";
import { useId } from "react";
import { TypeToConfirm } from "../../../components/field";
import { Notice } from "../../../components/notice";
import { QuotedName, ShownText } from "../../../components/shown-text";
import { UsedByRules } from "../../../components/used-by-rules";

import { numbers, strategies } from "../model/counts";

// Deleting selected strategies: the dialog's body and the report afterwards. Loaded when
// something is selected, not with the list (README, "Speed").

function describeDestroyFailure(error: { type: string; description?: string }): string {
  if (error.type === "notFound") return "it no longer exists (someone may have deleted it already)";
  if (error.type === "forbidden") return "you are not allowed to delete it";
  return error.description ?? error.type;
}

/** The delete dialog's body: what goes, the outbound strategy's use of it, the progress. */
export function BulkDeleteBody({
  selected,
  usage,
  progress,
  typed,
  onType,
  lookalikes,
}: {
  selected: ReadonlyMap<string, string>;
  usage: TlsUsage | undefined;
  progress: { sent: number; total: number } | null;
  /** What the admin typed to confirm each used strategy's deletion, by name. */
  typed: Readonly<Record<string, string>>;
  onType: (name: string, value: string) => void;
  /** For a strategy whose name looks like others', those names (name-lookalike.ts). */
  lookalikes: ReadonlyMap<string, string[]> | undefined;
}) {
  const isOne = selected.size === 1;
  const toConfirm = namesToConfirm(selected, usage);
  const used = usage?.isKnown ? toConfirm : [];
  return (
    <>
      <p>
        {isOne
          ? "This TLS strategy will be deleted. Delivery rules that pick it by name fall back to Stalwart's built-in TLS defaults. This cannot be undone."
          : "These TLS strategies will be deleted. Delivery rules that pick one by name fall back to Stalwart's built-in TLS defaults. This cannot be undone."}
      </p>
      <ul className="name-list">
        {[...selected].map(([id, name]) => (
          <li key={id}>
            <ShownText text={name} />
            {lookalikes?.get(id) ? (
              <>
                {" "}
                <span className="muted">
                  (looks the same as{" "}
                  {lookalikes.get(id)?.map((other, index) => (
                    <span key={other}>
                      {index > 0 ? ", " : ""}
                      <QuotedName name={other} />
                    </span>
                  ))}
                  )
                </span>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {used.length > 0 ? (
        <div className="finding finding-warning">
          <p>
            <strong>Warning: </strong>the outbound strategy picks{" "}
            {used.map((name, index) => (
              <span key={name}>
                {index > 0 ? ", " : ""}
                <QuotedName name={name} />
              </span>
            ))}{" "}
            by name. Once deleted, delivery that would use {used.length === 1 ? "it" : "them"}{" "}
            silently falls back to Stalwart's built-in TLS defaults, on every message these TLS
            rules pick {used.length === 1 ? "it" : "them"} for:
          </p>
          {used.map((name) => (
            <div key={name}>
              {used.length > 1 ? (
                <p>
                  <QuotedName name={name} />:
                </p>
              ) : null}
              <UsedByRules usage={usage} name={name} />
            </div>
          ))}
        </div>
      ) : null}
      {usage?.isKnown ? null : (
        <p className="finding finding-warning">
          <strong>Warning: </strong>whether the outbound strategy picks{" "}
          {isOne ? "this strategy" : "any of these strategies"} by name is not known
          {usage ? ` (${usage.reason})` : ""}. If it does, delivery that would use{" "}
          {isOne ? "it" : "them"} silently falls back to Stalwart's built-in TLS defaults.
        </p>
      )}
      {toConfirm.length > 0 ? (
        <TypeToConfirm names={toConfirm} typed={typed} onType={onType} />
      ) : null}
      {progress && progress.total > 0 ? <DeleteProgress {...progress} /> : null}
    </>
  );
}

/** How far a delete in batches of maxObjectsInSet has got. */
function DeleteProgress({ sent, total }: { sent: number; total: number }) {
  const id = useId();
  return (
    <div className="delete-progress">
      <label htmlFor={id}>Deleting</label>
      <progress id={id} max={total} value={sent} />
      <p className="muted" role="status">
        {numbers.format(sent)} of {strategies(total)} sent
      </p>
    </div>
  );
}

/** Up to this many failures are listed one by one; the rest are one click away. */
const LISTED_FAILURES = 5;

/** Each strategy that was not deleted, and why; a long list folded after the first few. */
function FailureList({
  failed,
  names,
}: {
  failed: DestroyOutcome["failed"];
  names: ReadonlyMap<string, string>;
}) {
  const item = ({ id, error }: DestroyOutcome["failed"][number]) => (
    <li key={id}>
      <QuotedName name={names.get(id) ?? id} />:{" "}
      <ShownText text={describeDestroyFailure(error)} kind="text" />.
    </li>
  );
  if (failed.length <= LISTED_FAILURES) return <ul>{failed.map(item)}</ul>;
  return (
    <>
      <ul>{failed.slice(0, LISTED_FAILURES - 1).map(item)}</ul>
      <details>
        <summary>
          {numbers.format(failed.length - LISTED_FAILURES + 1)} more not deleted (show them)
        </summary>
        <ul>{failed.slice(LISTED_FAILURES - 1).map(item)}</ul>
      </details>
    </>
  );
}

export function DestroyReport({
  outcome,
  names,
}: {
  outcome: DestroyOutcome;
  names: Map<string, string>;
}) {
  const deleted = outcome.destroyed.length;
  return (
    <>
      {deleted > 0 ? (
        <Notice tone="success">
          Deleted{" "}
          {deleted === 1 ? (
            <QuotedName name={names.get(outcome.destroyed[0] ?? "") ?? ""} />
          ) : (
            `${numbers.format(deleted)} strategies`
          )}
          .
        </Notice>
      ) : null}
      {outcome.failed.length > 0 ? (
        <Notice tone="error">
          <p>
            {outcome.failed.length === 1
              ? "One strategy was"
              : `${numbers.format(outcome.failed.length)} strategies were`}{" "}
            not deleted:
          </p>
          <FailureList failed={outcome.failed} names={names} />
        </Notice>
      ) : null}
    </>
  );
}
