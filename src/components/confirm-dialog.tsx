import "./dialog.css";
import "./field.css";
import { type ReactNode, useId, useLayoutEffect, useRef } from "react";

interface ConfirmDialogProps {
  isOpen: boolean;
  /** Also the dialog's accessible name. */
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  pendingLabel?: string;
  isPending?: boolean;
  /** The confirm button waits for something the body asks (a name typed to confirm). */
  isConfirmBlocked?: boolean;
  /** "danger" for what destroys or discards, "primary" for what saves. */
  tone?: "danger" | "primary";
  error?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A native modal <dialog>: focus trapping, Escape and the inert background come free. Closed,
 * it renders only its title: a page holds several closed dialogs, and their bodies cost
 * rendering on every view change for nothing (docs/decisions/first-paint-and-opening.md). It
 * opens and closes before the browser paints, with its body.
 */
export function ConfirmDialog({
  isOpen,
  title,
  children,
  confirmLabel,
  cancelLabel = "Cancel",
  pendingLabel = `${confirmLabel}…`,
  isPending = false,
  isConfirmBlocked = false,
  tone = "danger",
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) dialog.showModal();
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className="dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!isPending) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {isOpen ? (
        <>
          {/* What the body asks (a name typed to confirm) is locked while the answer is awaited. */}
          <fieldset className="plain-fieldset dialog-body" disabled={isPending}>
            {children}
          </fieldset>
          {error ? (
            <div role="alert" className="notice notice-error">
              {error}
            </div>
          ) : null}
          <div className="actions">
            <button type="button" className="button" onClick={onCancel} disabled={isPending}>
              {cancelLabel}
            </button>
            <button
              type="button"
              className={`button button-${tone}`}
              onClick={onConfirm}
              disabled={isPending || isConfirmBlocked}
            >
              {isPending ? pendingLabel : confirmLabel}
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
