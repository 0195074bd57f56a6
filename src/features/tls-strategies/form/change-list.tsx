import { ShownText } from "../../../components/shown-text";
import { type Change, displayValue } from "../model/changes";
import { FIELDS } from "../model/fields";

function Value({ change, side }: { change: Change; side: "from" | "to" }) {
  const kind = change.property === "description" ? "text" : "name";
  return <ShownText text={displayValue(change.property, change[side])} kind={kind} />;
}

/** "STARTTLS: Optional → Disabled", with values isolated so text direction cannot mix them. */
export function ChangeText({ change }: { change: Change }) {
  return (
    <>
      {FIELDS[change.property].label}: <Value change={change} side="from" /> →{" "}
      <Value change={change} side="to" />
    </>
  );
}

/** What a save changes, one per line ("What changes", "Different from the defaults"). */
export function ChangeList({ changes }: { changes: readonly Change[] }) {
  return (
    <ul className="change-list">
      {changes.map((change) => (
        <li key={change.property}>
          <ChangeText change={change} />
        </li>
      ))}
    </ul>
  );
}

/**
 * What someone else changed, in one sentence: "Changed by someone else since you opened it:
 * STARTTLS Optional → Disabled, DANE Optional → Required."
 */
export function TheirChanges({
  changes,
  intro = "Changed by someone else since you opened it",
}: {
  changes: readonly Change[];
  intro?: string;
}) {
  return (
    <p className="their-changes">
      {intro}:{" "}
      {changes.map((change, index) => (
        <span key={change.property}>
          {index > 0 ? ", " : ""}
          {FIELDS[change.property].label} <Value change={change} side="from" /> →{" "}
          <Value change={change} side="to" />
        </span>
      ))}
      .
    </p>
  );
}
