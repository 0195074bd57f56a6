import { useLocation } from "wouter";
import { Notice } from "../../../components/notice";
import { ShownText } from "../../../components/shown-text";
import { useAnnouncements } from "../../../navigation/announcements";
import { releaseUnsavedChangesGuard } from "../../../navigation/navigation-guard";
import { LIST_PATH } from "../../../paths";
import { APPLIED } from "../../../pending-apply/apply-run";
import { lastListPath } from "../data/last-list-view";
import type { Change } from "../model/changes";

import { TheirChanges } from "./change-list";

// What the admin just did, told on the list they return to ("Saved “default”."). The name
// travels apart from the words, so it is shown isolated and with hidden characters revealed
// (README, "No impersonation").

/** `${before}“${name}”${after}`, plus what else the save did. */
export interface FlashMessage {
  before: string;
  name: string;
  after: string;
  /** Changes someone else made that the save kept. */
  theirs?: Change[];
  /** A settings reload rode along and succeeded ("Save and apply"). */
  isApplied?: boolean;
  /**
   * Where the admin was when the action started (`location.href`). If they have moved on
   * while its answer was on its way, they are told where they are now and left there: the
   * page they moved to, and its guarded work, is theirs.
   */
  startedAt?: string;
}

export function FlashNotice({ message }: { message: FlashMessage }) {
  return (
    <>
      <Notice tone="success">
        {message.before}“<ShownText text={message.name} />”{message.after}
        {message.isApplied ? ` Applied. ${APPLIED}` : ""}
      </Notice>
      {message.theirs && message.theirs.length > 0 ? (
        // Not a second live region: the status above is what is announced.
        <div className="notice notice-info">
          <TheirChanges changes={message.theirs} intro="Also kept, as someone else changed them" />
        </div>
      ) : null}
    </>
  );
}

/** Leaves a form for the list after a change, saying what happened there. */
export function useLeaveWith() {
  const [, navigate] = useLocation();
  const { announce } = useAnnouncements();
  return (message: FlashMessage) => {
    if (message.startedAt !== undefined && message.startedAt !== window.location.href) {
      announce(<FlashNotice message={message} />);
      return;
    }
    releaseUnsavedChangesGuard();
    announce(<FlashNotice message={message} />, { path: LIST_PATH });
    navigate(lastListPath());
  };
}
