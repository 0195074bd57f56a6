import { ConfirmDialog } from "../../../components/confirm-dialog";
import { ShownText } from "../../../components/shown-text";
import { TheirChanges } from "../form/change-list";
import { type Change, displayValue, type EditableProperty } from "../model/changes";
import { FIELDS } from "../model/fields";
import type { Choices, Clash } from "./save-rounds";

/** A save's open question: which value stays for each clashing field. */
export interface ClashQuestion {
  items: Clash[];
  /** Someone else's other changes, which the save keeps. */
  theirs: Change[];
  /** Answers the question; null when the admin cancels. */
  resolve: (choices: Choices | null) => void;
}

/**
 * Asks, for each field changed both here and by someone else since the form was opened,
 * which value stays (README, "Two admins at once"); closed while `question` is null.
 */
export function ClashDialog({
  question,
  choices,
  onChoose,
}: {
  question: ClashQuestion | null;
  choices: Choices;
  onChoose: (key: EditableProperty, choice: "theirs" | "mine") => void;
}) {
  return (
    <ConfirmDialog
      isOpen={question !== null}
      title="Someone else changed this strategy"
      confirmLabel="Save"
      cancelLabel="Cancel"
      tone="primary"
      onConfirm={() => question?.resolve(choices)}
      onCancel={() => question?.resolve(null)}
    >
      <p>
        Since you opened it, these fields were changed by someone else as well as by you. Choose,
        for each, which value to keep. Your other changes are saved as they are.
      </p>
      {question && question.theirs.length > 0 ? (
        <TheirChanges
          changes={question.theirs}
          intro="Also changed by someone else since you opened it, and kept"
        />
      ) : null}
      {(question?.items ?? []).map((clash) => (
        <fieldset key={clash.key} className="clash">
          <legend>{FIELDS[clash.key].label}</legend>
          <p className="muted">
            When you opened it: <ShownText text={displayValue(clash.key, clash.loaded)} />
          </p>
          <label>
            <input
              type="radio"
              name={`clash-${clash.key}`}
              checked={choices[clash.key] === "theirs"}
              onChange={() => onChoose(clash.key, "theirs")}
            />{" "}
            Keep theirs: <ShownText text={displayValue(clash.key, clash.theirs)} />
          </label>
          <label>
            <input
              type="radio"
              name={`clash-${clash.key}`}
              checked={choices[clash.key] === "mine"}
              onChange={() => onChoose(clash.key, "mine")}
            />{" "}
            Keep mine: <ShownText text={displayValue(clash.key, clash.mine)} />
          </label>
        </fieldset>
      ))}
    </ConfirmDialog>
  );
}
