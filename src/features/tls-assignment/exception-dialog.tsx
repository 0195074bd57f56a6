import "../../components/field.css";
import { useState } from "react";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Field } from "../../components/field";
import { normaliseDomain } from "../../stalwart/expression/evaluate";
import { isCanonicalDomain } from "../../stalwart/expression/rules-table";
import { strategyOptions } from "./rule-cells";

// "Add an exception": one step, "mail to [domain] uses [strategy]"; the view places it before
// the rules it would otherwise lose to (model/drafts.ts, exceptionPosition).

export function ExceptionDialog({
  isOpen,
  strategies,
  onAdd,
  onClose,
}: {
  isOpen: boolean;
  strategies: readonly string[];
  onAdd: (domain: string, strategy: string) => void;
  onClose: () => void;
}) {
  const [domain, setDomain] = useState("");
  const [picked, setStrategy] = useState("");
  const strategy = picked || (strategies.includes("default") ? "default" : (strategies[0] ?? ""));
  const [isTried, setIsTried] = useState(false);
  const typed = domain.trim();
  const fixed = typed === "" ? "" : normaliseDomain(typed);
  const error =
    typed === ""
      ? "Give the recipient domain."
      : isCanonicalDomain(typed)
        ? undefined
        : isCanonicalDomain(fixed)
          ? `'${typed}' never matches: Stalwart compares domain names in lower case, and non-ASCII ones in their xn-- (punycode) form.`
          : `'${typed}' is not a domain name: letters, digits and hyphens, between dots.`;
  const close = () => {
    setDomain("");
    setIsTried(false);
    onClose();
  };
  return (
    <ConfirmDialog
      isOpen={isOpen}
      title="Add an exception"
      confirmLabel="Add"
      tone="primary"
      onCancel={close}
      onConfirm={() => {
        setIsTried(true);
        if (error || strategy === "") return;
        onAdd(typed, strategy);
        close();
      }}
    >
      <p>Mail to this domain uses this strategy, whatever the rules after it say.</p>
      <Field
        label="Recipient domain"
        help="For example partner.example. Its subdomains are not included."
        error={
          isTried && error ? (
            <>
              {error}
              {isCanonicalDomain(fixed) && fixed !== typed ? (
                <>
                  {" "}
                  <button type="button" className="link-button" onClick={() => setDomain(fixed)}>
                    Use {fixed}
                  </button>
                </>
              ) : null}
            </>
          ) : undefined
        }
      >
        {(control) => (
          <input
            {...control}
            autoComplete="off"
            spellCheck={false}
            value={domain}
            onChange={(event) => setDomain(event.target.value)}
          />
        )}
      </Field>
      <Field label="Strategy">
        {(control) => (
          <select
            {...control}
            value={strategy}
            onChange={(event) => setStrategy(event.target.value)}
          >
            {strategyOptions(strategies, strategy)}
          </select>
        )}
      </Field>
    </ConfirmDialog>
  );
}
