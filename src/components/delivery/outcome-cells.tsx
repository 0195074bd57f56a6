import type { ReactNode } from "react";
import type { Outcome } from "../../stalwart/delivery/outcome";
import { endsOn, outcomeWords, reasonText } from "./outcome-words";

/**
 * The three cells every outcome row has (README "Testing a destination"): the outcome in the
 * page's words, the MX it ends on, and the reason in Stalwart's words, followed by `children`
 * in the reason cell (the steps, where a table shows them).
 */
export function OutcomeCells({ outcome, children }: { outcome: Outcome; children?: ReactNode }) {
  const words = outcomeWords(outcome);
  return (
    <>
      <td data-label="Outcome">
        <span className={`outcome-word outcome-${words.tone}`}>{words.text}</span>
      </td>
      <td className="breakable" data-label="Ends on">
        {endsOn(outcome)}
      </td>
      <td className="breakable" data-label="Reason">
        <span className="stalwart-text">{reasonText(outcome)}</span>
        {children}
      </td>
    </>
  );
}
