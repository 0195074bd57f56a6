import "./delivery.css";
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import type { Target } from "../../stalwart/delivery/facts";
import { parseTarget, unicodeDomain } from "../../stalwart/delivery/target";
import { Field } from "../field";

// The field "Recipient domain or address", Run test, and while it runs Stop and the step under
// way. The target is checked here with the server's own rules before anything is sent.

interface TargetFormProps {
  initialInput?: string;
  isRunning: boolean;
  /** The `step` frame under way. */
  step: string | null;
  /** The server's refusal of the target (its words), shown by the field. */
  serverError?: string | null;
  onRun: (target: Target) => void;
  onStop: () => void;
  /**
   * Render a <form> (the test view) or a plain group (inside the strategy form, which a nested
   * form would break): Enter in the field runs the test either way.
   */
  asForm?: boolean;
  /** Run at once with `initialInput` (a deep link `?target=`). */
  autoRun?: boolean;
}

export function TargetForm({
  initialInput = "",
  isRunning,
  step,
  serverError,
  onRun,
  onStop,
  asForm = true,
  autoRun = false,
}: TargetFormProps) {
  const [input, setInput] = useState(initialInput);
  const [error, setError] = useState<string | null>(null);
  const [shownAs, setShownAs] = useState<Target | null>(null);
  const progressId = useId();
  const submit = (event?: FormEvent | KeyboardEvent) => {
    event?.preventDefault();
    const parsed = parseTarget(input);
    if ("error" in parsed) {
      setError(parsed.error);
      setShownAs(null);
      return;
    }
    setError(null);
    setShownAs(parsed.target);
    onRun(parsed.target);
  };
  const submitRef = useRef(submit);
  submitRef.current = submit;
  // Once per mount: React's StrictMode runs effects twice in development, and a second run
  // would abort the first probe and start another.
  const hasAutoRun = useRef(false);
  useEffect(() => {
    if (!autoRun || hasAutoRun.current) return;
    hasAutoRun.current = true;
    submitRef.current();
  }, [autoRun]);
  const domain = shownAs?.domain;
  const detail =
    domain && domain !== shownAs?.input.toLowerCase().replace(/^.*@|\.$/g, "")
      ? `Tested as ${shownAs?.address ?? domain}${domain.includes("xn--") ? ` (${unicodeDomain(domain)})` : ""}.`
      : null;
  const body = (
    <>
      <Field
        label="Recipient domain or address"
        help="A domain (example.com) or an address (user@example.com): the test looks up where mail for its domain goes."
        detail={detail}
        error={error ?? serverError ?? null}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            inputMode="url"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={1000}
            value={input}
            onChange={(event) => {
              setInput(event.target.value);
              if (error) setError(null);
            }}
            onKeyDown={(event) => {
              if (!asForm && event.key === "Enter") submit(event);
            }}
          />
        )}
      </Field>
      <div className="actions">
        <button
          type={asForm ? "submit" : "button"}
          className="button button-primary"
          onClick={asForm ? undefined : () => submit()}
        >
          Run test
        </button>
        {isRunning ? (
          <button type="button" className="button" onClick={onStop}>
            Stop
          </button>
        ) : null}
        {/* Only while running: an empty status on a form would be one more "status" beside
            the page's own notices. */}
        {isRunning ? (
          <p className="probe-progress muted" role="status" id={progressId}>
            {step ?? "Starting the test…"}
          </p>
        ) : null}
      </div>
    </>
  );
  if (!asForm) return <div className="target-form">{body}</div>;
  return (
    <form className="target-form" onSubmit={submit} noValidate aria-busy={isRunning}>
      {body}
    </form>
  );
}
