import type { ReactNode } from "react";
import { Notice } from "../../components/notice";
import type { TlsRules } from "../../stalwart/outbound-tls-rules";
import { BothRuleLists } from "./clash-dialog";
import type { SaveResult } from "./model/save-rules";

// What a save of the rules did, in words: "Saved" only for what the read-back shows stored.

const APPLIED_WORDS =
  "Delivery now uses them on this node. In a cluster, the other nodes reload on their own.";

/** The notice for a save's result; `mine` is what was sent. */
export function outcomeNotice(result: SaveResult, mine: TlsRules): ReactNode {
  switch (result.kind) {
    case "saved":
      if (result.reload?.isApplied)
        return (
          <Notice tone="success">Saved and applied: read back as shown. {APPLIED_WORDS}</Notice>
        );
      return (
        <Notice tone="success">
          Saved: read back as shown.{" "}
          {result.reload || result.isReloadUnknown
            ? "The settings reload did not go through; the notice above says why."
            : "Stalwart uses them once the settings are reloaded."}
        </Notice>
      );
    case "notStored":
      return (
        <Notice tone="error">
          <p>
            Not saved as shown: the server answered that it updated the rules, but reading them back
            shows other rules. Your rules are still on screen.
          </p>
          <BothRuleLists theirs={result.stored} mine={mine} />
        </Notice>
      );
    case "unseen":
      return (
        <Notice tone="error">
          The server answered that it updated the rules, but they could not be read back, so whether
          they are stored is unknown. Your rules are still on screen; reload the page to see what is
          stored.
        </Notice>
      );
    case "refused": {
      const value = result.setError.validationErrors?.[0]?.value;
      return (
        <Notice tone="error">
          Not saved. The server refused:{" "}
          {typeof value === "string"
            ? value
            : (result.setError.description ?? result.setError.type)}
        </Notice>
      );
    }
    case "clash":
      return null;
  }
}
