import "../components/dialog.css";
import { useEffect, useId, useRef } from "react";
import type { Credentials } from "../jmap/authorization";
import { SignInForm } from "./sign-in-form";

/** Signing in again over the page, when the server stopped accepting the credentials. */
export function SignInDialog({
  username,
  onSignIn,
  onCancel,
}: {
  username: string;
  onSignIn: (credentials: Credentials) => Promise<void>;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (ref.current && !ref.current.open) ref.current.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>Sign in again</h2>
      <p>
        The server no longer accepts your sign-in. Sign in to continue: nothing you typed is lost.
      </p>
      <SignInForm username={username} onSignIn={onSignIn}>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </SignInForm>
    </dialog>
  );
}
