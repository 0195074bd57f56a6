import "./field.css";
import { type ReactNode, useId } from "react";
import { ShownText } from "./shown-text";
import { isTypedName } from "./typed-name";

export interface FieldControlProps {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string;
}

interface FieldProps {
  label: string;
  help?: ReactNode;
  /** Extra text under the control, e.g. a duration read back in words. */
  detail?: ReactNode;
  error?: ReactNode;
  /** Shown after the help: notes about this field that live elsewhere too (review findings). */
  notes?: ReactNode;
  /** Ids of more elements that describe the control (findings shown beside another field). */
  describedBy?: readonly string[];
  /** Something beside the label (a "Reset to default" button). */
  labelAside?: ReactNode;
  children: (control: FieldControlProps) => ReactNode;
}

/** A label, a control, its help and its error, wired together for assistive technology. */
export function Field({
  label,
  help,
  detail,
  error,
  notes,
  describedBy = [],
  labelAside,
  children,
}: FieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const detailId = `${id}-detail`;
  const errorId = `${id}-error`;
  const describedByIds = [
    error ? errorId : null,
    ...describedBy,
    detail ? detailId : null,
    help ? helpId : null,
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="field" data-invalid={error ? true : undefined}>
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
        {labelAside}
      </div>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedByIds })}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      {detail ? (
        <p className="field-detail" id={detailId}>
          {detail}
        </p>
      ) : null}
      {help ? (
        <p className="field-help" id={helpId}>
          {help}
        </p>
      ) : null}
      {notes}
    </div>
  );
}

// A confirmation that habit cannot click through: for what silently changes how a whole
// server delivers mail (deleting a strategy the outbound strategy's `tls` rule names), the
// admin types the name first, as GitHub asks before deleting a repository.

/** One field per name: "Type “default” to confirm". */
export function TypeToConfirm({
  names,
  typed,
  onType,
}: {
  names: readonly string[];
  typed: Readonly<Record<string, string>>;
  onType: (name: string, value: string) => void;
}) {
  const id = useId();
  return (
    <div className="type-to-confirm">
      {names.map((name, index) => (
        <div className="field" key={name}>
          <label htmlFor={`${id}-${index}`}>
            Type “<ShownText text={name} />” to confirm
          </label>
          <input
            id={`${id}-${index}`}
            autoComplete="off"
            spellCheck={false}
            value={typed[name] ?? ""}
            aria-invalid={
              typed[name] !== undefined && typed[name] !== "" && !isTypedName(typed[name], name)
            }
            onChange={(event) => onType(name, event.target.value)}
          />
        </div>
      ))}
    </div>
  );
}
