import { ConfirmDialog } from "../components/confirm-dialog";

/**
 * The question asked before leaving unsaved changes (navigation-guard.tsx). Its code loads
 * when a form first holds a change, not with the list: only a form can have one.
 */
export function LeaveDialog({
  isOpen,
  onAnswer,
}: {
  isOpen: boolean;
  onAnswer: (isConfirmed: boolean) => void;
}) {
  return (
    <ConfirmDialog
      isOpen={isOpen}
      title="Leave without saving?"
      confirmLabel="Leave"
      cancelLabel="Stay"
      onConfirm={() => onAnswer(true)}
      onCancel={() => onAnswer(false)}
    >
      <p>Your changes on this page are not saved. If you leave, they are lost.</p>
    </ConfirmDialog>
  );
}
