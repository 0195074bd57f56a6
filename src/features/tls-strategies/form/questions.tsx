import { useState } from "react";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { ChangeList, TheirChanges } from "./change-list";
import type { ConfirmRequest } from "./contracts";

type OpenConfirmation = ConfirmRequest & { resolve: (isConfirmed: boolean) => void };

/**
 * The questions a save asks before it is sent: `confirm(request)` opens the confirmation
 * (resolves true to go on), `whileAsking(question)` counts a question the page asks in a
 * dialog of its own. `questionsOpen` > 0 while any is open: the form then says it waits for
 * an answer, not "Saving…". Render `dialog` once, inside the form.
 */
export function useSaveQuestions() {
  const [confirmation, setConfirmation] = useState<OpenConfirmation | null>(null);
  const [questionsOpen, setQuestionsOpen] = useState(0);
  const whileAsking = <T,>(question: Promise<T>): Promise<T> => {
    setQuestionsOpen((open) => open + 1);
    return question.finally(() => setQuestionsOpen((open) => open - 1));
  };
  const confirm = (request: ConfirmRequest) =>
    whileAsking(
      new Promise<boolean>((resolve) => setConfirmation({ ...request, resolve })).finally(() =>
        setConfirmation(null),
      ),
    );
  return {
    confirm,
    whileAsking,
    questionsOpen,
    dialog: <ConfirmSaveDialog confirmation={confirmation} />,
  };
}

/** The findings to accept, what the save changes and what someone else changed meanwhile. */
function ConfirmSaveDialog({ confirmation }: { confirmation: OpenConfirmation | null }) {
  return (
    <ConfirmDialog
      isOpen={confirmation !== null}
      title={confirmation?.title ?? ""}
      confirmLabel={confirmation?.confirmLabel ?? ""}
      cancelLabel={confirmation?.cancelLabel ?? "Go back"}
      tone="primary"
      onConfirm={() => confirmation?.resolve(true)}
      onCancel={() => confirmation?.resolve(false)}
    >
      {confirmation?.intro}
      {confirmation && confirmation.findings.length > 0 ? (
        <ul className="warning-list">
          {confirmation.findings.map((finding) => (
            <li key={finding.id}>{finding.message}</li>
          ))}
        </ul>
      ) : null}
      {confirmation && confirmation.changes.items.length > 0 ? (
        <>
          <h3>{confirmation.changes.heading}</h3>
          <ChangeList changes={confirmation.changes.items} />
        </>
      ) : null}
      {confirmation && confirmation.theirs.length > 0 ? (
        <TheirChanges changes={confirmation.theirs} />
      ) : null}
    </ConfirmDialog>
  );
}
