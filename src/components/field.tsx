import { type ReactNode, useId } from "react";

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
  children: (control: FieldControlProps) => ReactNode;
}

/** A label, a control, its help and its error, wired together for assistive technology. */
export function Field({ label, help, detail, error, children }: FieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const detailId = `${id}-detail`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, help ? helpId : null, detail ? detailId : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="field" data-invalid={error ? true : undefined}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
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
    </div>
  );
}
