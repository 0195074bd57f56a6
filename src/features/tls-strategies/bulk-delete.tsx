import "../../components/findings.css";
import "./bulk-delete.css";
import { useId } from "react";
import { TypeToConfirm } from "../../components/field";
import { Notice } from "../../components/notice";
import { QuotedName, ShownText } from "../../components/shown-text";
import { numbers, strategies } from "./counts";
import { type DestroyOutcome, type TlsUsage, usedNames } from "./queries";

// Deleting selected strategies: the dialog's body and the report afterwards. Loaded when
// something is selected, not with the list (issue 11).

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
}: {
  selected: ReadonlyMap<string, string>;
  usage: TlsUsage | undefined;
  progress: { sent: number; total: number } | null;
  /** What the admin typed to confirm each used strategy's deletion, by name. */
  typed: Readonly<Record<string, string>>;
  onType: (name: string, value: string) => void;
}) {
  const isOne = selected.size === 1;
  const used = usedNames(selected, usage);
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
          </li>
        ))}
      </ul>
      {used.length > 0 ? (
        <>
          <p className="finding finding-warning">
            <strong>Warning: </strong>the outbound strategy picks{" "}
            {used.map((name, index) => (
              <span key={name}>
                {index > 0 ? ", " : ""}
                <QuotedName name={name} />
              </span>
            ))}{" "}
            by name. Once deleted, delivery that would use {used.length === 1 ? "it" : "them"}{" "}
            silently falls back to Stalwart's built-in TLS defaults, on every message it picks{" "}
            {used.length === 1 ? "it" : "them"} for.
          </p>
          <TypeToConfirm names={used} typed={typed} onType={onType} />
        </>
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
          <ul>
            {outcome.failed.map(({ id, error }) => (
              <li key={id}>
                <QuotedName name={names.get(id) ?? id} />: {describeDestroyFailure(error)}.
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
    </>
  );
}
