import { useId } from "react";
import { ConfirmDialog } from "../../components/confirm-dialog";
import type { TlsRules } from "../../stalwart/outbound-tls-rules";
import { rulesInWords } from "./model/read-back";

// Two admins at once: a save reads the rules again first, and when someone else changed them
// since this view read them, both lists are shown and nothing is written until the admin
// chooses.

/** Both rule lists, side by side: what is stored now, and what this view would save. */
export function BothRuleLists({ theirs, mine }: { theirs: TlsRules; mine: TlsRules }) {
  const id = useId();
  return (
    <div className="rule-lists">
      <section aria-labelledby={`${id}-theirs`}>
        <h3 id={`${id}-theirs`}>Stored now</h3>
        <ol className="plain-list">
          {rulesInWords(theirs).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ol>
      </section>
      <section aria-labelledby={`${id}-mine`}>
        <h3 id={`${id}-mine`}>Yours</h3>
        <ol className="plain-list">
          {rulesInWords(mine).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ol>
      </section>
    </div>
  );
}

export function ClashDialog({
  clash,
  isPending,
  onSaveMine,
  onCancel,
}: {
  clash: { theirs: TlsRules; mine: TlsRules } | null;
  isPending: boolean;
  onSaveMine: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmDialog
      isOpen={clash !== null}
      title="Someone else changed the TLS rules"
      confirmLabel="Save mine instead"
      cancelLabel="Back to editing"
      isPending={isPending}
      onConfirm={onSaveMine}
      onCancel={onCancel}
    >
      <p>
        Since this page read them, the rules were changed elsewhere. Saving yours replaces theirs
        entirely; going back keeps your rules on screen, with theirs shown above them.
      </p>
      {clash ? <BothRuleLists theirs={clash.theirs} mine={clash.mine} /> : null}
    </ConfirmDialog>
  );
}
