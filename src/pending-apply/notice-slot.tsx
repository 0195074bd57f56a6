import { Suspense } from "react";
import { LoadBoundary } from "../components/load-boundary";
import { Notice } from "../components/notice";
import { preloadable, preloadedComponent } from "../components/preloadable";
import { applyRun } from "./apply";
import type { ObjectLink } from "./contracts";
import { usePendingState } from "./pending-changes";

// Where the notice of changes saved but not applied shows, on every page; its code
// (pending-apply-notice.tsx) loads when there is something to show, or with the code that
// saves (preloadSaveCode).

const notice = preloadable(() => import("./pending-apply-notice"));

/**
 * Fetches the code a save runs after its answer (the pending-apply notice, the merge of
 * pending changes) ahead of time: called when a form's code is fetched, so a save sends
 * nothing but its own requests.
 */
export function preloadSaveCode(): void {
  void notice.preload().catch(() => undefined);
  void applyRun().catch(() => undefined);
  void import("./pending-merge").catch(() => undefined);
}

/**
 * The persistent notice of changes saved but not applied, on every page (pending-apply-notice.tsx,
 * loaded when there is something to show, or as soon as a change is saved).
 */
export function PendingApplyNotice({ objectLink }: { objectLink: ObjectLink }) {
  const { changes, failure } = usePendingState();
  if (changes.length === 0 && !failure) return null;
  return (
    <LoadBoundary
      fallback={
        <Notice tone="info">
          Changes saved from this browser are not applied yet, but this notice could not be loaded.
          Reload the page to see them and apply them.
        </Notice>
      }
    >
      <Suspense fallback={null}>
        <LoadedNotice objectLink={objectLink} />
      </Suspense>
    </LoadBoundary>
  );
}

const LoadedNotice = preloadedComponent(notice, (m) => m.PendingApplyNotice);
