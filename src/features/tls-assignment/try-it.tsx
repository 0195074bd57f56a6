import { type FormEvent, useState } from "react";
import { Field } from "../../components/field";
import { ruleInWords } from "../../stalwart/expression/rule-words";
import { LAST_ERROR_KINDS } from "../../stalwart/expression/vocabulary";
import type { TlsRules } from "../../stalwart/outbound-tls-rules";
import { type TryAnswer, tryRules } from "./model/try-it";

// The region "Try it": which rule fires for a recipient domain, an MX host, a retry number and
// a last error, and which strategy delivery then uses, on the rules as shown (saved or not).

const BUILT_IN =
  "no strategy has this name, so delivery uses Stalwart's built-in defaults (DANE, MTA-STS and STARTTLS optional, certificates checked)";

function AnswerText({ answer, rules }: { answer: TryAnswer; rules: TlsRules }) {
  if (answer.kind === "doesNotCompile")
    return <>The rules as shown do not compile, so nothing can be tried: {answer.message}</>;
  const where =
    answer.rule === "otherwise"
      ? "Otherwise (no rule applies)"
      : `Rule ${answer.rule + 1}: ${ruleInWords(rules.rules[answer.rule] ?? { if: "", then: "" })}`;
  if (answer.kind === "cannotTell")
    return (
      <>
        Cannot tell here: evaluation reaches {answer.construct} in{" "}
        {answer.rule === "otherwise" ? "Otherwise" : `rule ${answer.rule + 1}`}, which only the
        server can evaluate.
      </>
    );
  return (
    <>
      <strong>{where}</strong>. Strategy: <strong>{answer.name}</strong>
      {answer.resolution === "built-in defaults"
        ? ` — ${BUILT_IN}.`
        : answer.resolution === "unknown"
          ? " (whether a strategy has this name is unknown: the strategies could not be read)."
          : "."}
      {answer.fallback ? ` ${answer.fallback}` : ""}
    </>
  );
}

export function TryIt({
  rules,
  strategies,
}: {
  /** The rules as shown, or null while some row cannot be written. */
  rules: TlsRules | null;
  /** The stored strategies' names, or null when they could not be read. */
  strategies: readonly string[] | null;
}) {
  const [recipientDomain, setRecipientDomain] = useState("");
  const [mxHost, setMxHost] = useState("");
  const [retryNumber, setRetryNumber] = useState("0");
  const [lastError, setLastError] = useState("none");
  const [retryError, setRetryError] = useState<string | null>(null);
  const [result, setResult] = useState<
    { answer: TryAnswer; rules: TlsRules } | "unwritable" | null
  >(null);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // A retry number is what Stalwart counts: a whole number from 0 (the first attempt).
    const text = retryNumber.trim();
    const retries = text === "" ? 0 : /^\d{1,9}$/.test(text) ? Number(text) : -1;
    if (retries < 0) {
      setRetryError("Enter a whole number of retries, 0 for the first attempt.");
      return setResult(null);
    }
    setRetryError(null);
    if (!rules) return setResult("unwritable");
    const input = { recipientDomain, mxHost, retryNumber: retries, lastError };
    setResult({ answer: tryRules(rules, input, strategies), rules });
  };
  return (
    <section className="try-it" aria-labelledby="try-it-heading">
      <h2 id="try-it-heading">Try it</h2>
      <p className="muted">
        Which rule applies to a message, on the rules as shown above (saved or not). Leave the MX
        host empty for the choice made before any MX host is known, which steers MTA-STS.
      </p>
      <form className="try-it-form" onSubmit={onSubmit} noValidate>
        <Field label="Recipient domain">
          {(control) => (
            <input
              {...control}
              autoComplete="off"
              spellCheck={false}
              value={recipientDomain}
              onChange={(event) => setRecipientDomain(event.target.value)}
            />
          )}
        </Field>
        <Field label="MX host">
          {(control) => (
            <input
              {...control}
              autoComplete="off"
              spellCheck={false}
              value={mxHost}
              onChange={(event) => setMxHost(event.target.value)}
            />
          )}
        </Field>
        <Field label="Retry number" error={retryError}>
          {(control) => (
            <input
              {...control}
              inputMode="numeric"
              autoComplete="off"
              value={retryNumber}
              onChange={(event) => {
                setRetryNumber(event.target.value);
                setRetryError(null);
              }}
            />
          )}
        </Field>
        <Field label="Last error">
          {(control) => (
            <select
              {...control}
              value={lastError}
              onChange={(event) => setLastError(event.target.value)}
            >
              {["none", ...LAST_ERROR_KINDS].map((kind) => (
                <option key={kind} value={kind}>
                  {kind}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="button">
            Try
          </button>
        </div>
      </form>
      {result ? (
        <p role="status" className="try-it-answer">
          {result === "unwritable" ? (
            "Some rows cannot be written as they are: fix the rows marked above first."
          ) : (
            <AnswerText answer={result.answer} rules={result.rules} />
          )}
        </p>
      ) : null}
    </section>
  );
}
