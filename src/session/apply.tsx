import {
  createContext,
  type ReactNode,
  Suspense,
  useCallback,
  useContext,
  useMemo,
  useState,
} from "react";
import { LoadBoundary } from "../components/load-boundary";
import { Notice } from "../components/notice";
import { preloadable, preloadedComponent } from "../components/preloadable";
import type { JmapClient } from "../jmap/client";
import { useAnnouncements } from "./announcements";
import { useAuth, useWithReauthentication } from "./auth";
import { type PendingChange, usePendingState } from "./pending-changes";
import type { ReloadOutcome } from "./reload-settings";

// Applying saved changes: a settings reload (shared wire reference §11), from the pending
// notice ("Apply now"), from the list ("Reload settings") or along with a save ("Save and
// apply"). The provider holds only the state; what runs is in apply-run.tsx, loaded with the
// code that saves or when Apply is pressed (README, "Speed").

/** The code behind the provider: loaded on first use, preloaded with a form's code. */
const applyRun = () => import("./apply-run");

/**
 * For a save that may carry a reload ("Save and apply"): note what is pending before the
 * request, then settle both answers. The save's own change is applied when the reload that
 * followed it in the same request succeeded; otherwise it joins the pending list.
 */
export interface SaveWithReload {
  /** Call before sending: what a reload in this request will cover. */
  mark: () => Promise<number>;
  /**
   * The save succeeded: record its change, unless the reload after it applied it. With
   * `unreadable`, a reload was sent but its answer could not be read.
   */
  saved: (
    change: PendingChange,
    reload: ReloadOutcome | undefined,
    mark: number,
    unreadable?: unknown,
  ) => Promise<void>;
  /** Several changes saved without a reload (a bulk delete): recorded in one write. */
  savedAll: (changes: readonly PendingChange[]) => Promise<void>;
  /** The save failed; the reload may still have run (shared wire reference §11). */
  notSaved: (
    reload: ReloadOutcome | undefined,
    mark: number,
    unreadable?: unknown,
  ) => Promise<void>;
}

interface ApplyValue {
  isApplying: boolean;
  /** Reloads the settings now; resolves to the outcome, or null when no answer came. */
  apply: (options?: { announce?: boolean }) => Promise<ReloadOutcome | null>;
  forSave: (client: JmapClient) => SaveWithReload;
}

const ApplyContext = createContext<ApplyValue | null>(null);

export function ApplyProvider({ children }: { children: ReactNode }) {
  const { client } = useAuth();
  const withReauthentication = useWithReauthentication();
  const { announce } = useAnnouncements();
  const [isApplying, setIsApplying] = useState(false);

  const apply = useCallback(
    async ({ announce: shouldAnnounce = true }: { announce?: boolean } = {}) => {
      if (!client) return null;
      // The outcome belongs to the view the apply was asked from (announcements.tsx).
      const path = window.location.pathname;
      setIsApplying(true);
      try {
        const { runApply } = await applyRun();
        return await runApply(client, { withReauthentication, announce }, { path, shouldAnnounce });
      } catch {
        // The code could not load (offline): nothing was sent, nothing changed.
        return null;
      } finally {
        setIsApplying(false);
      }
    },
    [client, withReauthentication, announce],
  );

  const forSave = useCallback(
    (target: JmapClient): SaveWithReload => {
      void notice.preload().catch(() => undefined);
      // Loaded with the code that saves (preloadSaveCode), so these never wait.
      const effects = async () =>
        (await applyRun()).saveEffects(target, { withReauthentication, announce });
      return {
        mark: async () => (await effects()).mark(),
        saved: async (...args) => (await effects()).saved(...args),
        savedAll: async (...args) => (await effects()).savedAll(...args),
        notSaved: async (...args) => (await effects()).notSaved(...args),
      };
    },
    [withReauthentication, announce],
  );

  const value = useMemo(() => ({ isApplying, apply, forSave }), [isApplying, apply, forSave]);
  return <ApplyContext value={value}>{children}</ApplyContext>;
}

export function useApply(): ApplyValue {
  const value = useContext(ApplyContext);
  if (!value) throw new Error("useApply must be used inside <ApplyProvider>.");
  return value;
}

/** Where the page shows an object a failed reload names, and what it calls it. */
export type ObjectLink = (objectId: { object: string; id: string }) => {
  href: string;
  label: string;
} | null;

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
