import { ShownText } from "../../components/shown-text";
import { type Change, displayValue } from "./changes";
import { FIELDS } from "./schema";

/** "STARTTLS: Optional → Disabled", with values isolated so text direction cannot mix them. */
export function ChangeText({ change }: { change: Change }) {
  const kind = change.property === "description" ? "text" : "name";
  return (
    <>
      {FIELDS[change.property].label}:{" "}
      <ShownText text={displayValue(change.property, change.from)} kind={kind} /> →{" "}
      <ShownText text={displayValue(change.property, change.to)} kind={kind} />
    </>
  );
}

/** A list of changes, one per line. */
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
