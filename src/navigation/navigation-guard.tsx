import {
  createContext,
  type ReactNode,
  Suspense,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { navigate as browserNavigate, useBrowserLocation } from "wouter/use-browser-location";
import { preloadable, preloadedComponent } from "../components/preloadable";

// Leaving a form with unsaved changes asks first: by a link, by Back/Forward, by signing out
// (through confirmLeave) and by closing or reloading the tab (beforeunload).

type Ask = () => Promise<boolean>;

let hasUnsavedChanges = false;
let ask: Ask = async () => true;
let currentUrl = "";
let isLeaving = false;

/**
 * Listens for Back/Forward before the router does (main.tsx calls it first), so a blocked
 * Back never reaches the router: the URL is put back at once, and the admin is asked.
 */
export function installNavigationGuard(): void {
  currentUrl = window.location.href;
  window.addEventListener("popstate", (event) => {
    if (!hasUnsavedChanges || isLeaving) {
      currentUrl = window.location.href;
      return;
    }
    event.stopImmediatePropagation();
    const target = window.location.href;
    window.history.pushState(window.history.state, "", currentUrl);
    void ask().then((isConfirmed) => {
      if (isConfirmed) leave(() => browserNavigate(target));
    });
  });
}

function leave(go: () => void) {
  isLeaving = true;
  hasUnsavedChanges = false;
  try {
    go();
  } finally {
    isLeaving = false;
    currentUrl = window.location.href;
  }
}

type NavigateOptions = { replace?: boolean; state?: unknown };

/**
 * Navigates to `to` (a path of this page) with history.pushState, or replaceState with
 * `replace`; with unsaved changes, only once the admin confirms leaving them.
 */
export function guardedNavigate(to: string, options?: NavigateOptions): void {
  const go = () => {
    browserNavigate(to, options);
    currentUrl = window.location.href;
  };
  if (!hasUnsavedChanges) {
    go();
    return;
  }
  void ask().then((isConfirmed) => {
    if (isConfirmed) leave(go);
  });
}

/** wouter's browser location, with navigation that asks first when there are unsaved changes. */
export function useGuardedLocation(): [string, typeof guardedNavigate] {
  const [location] = useBrowserLocation();
  return [location, guardedNavigate];
}

interface GuardContextValue {
  /** For actions that leave the page without navigating, such as signing out. */
  confirmLeave: () => Promise<boolean>;
}

const GuardContext = createContext<GuardContextValue>({ confirmLeave: async () => true });

/** The leave question's code: fetched when a form first holds a change (useUnsavedChangesGuard). */
const leaveDialog = preloadable(() => import("./leave-dialog"));
const LeaveDialog = preloadedComponent(leaveDialog, (m) => m.LeaveDialog);

/** Fetches the leave question's code ahead of a form's first change (with the form's code). */
export const preloadLeaveDialog = () => void leaveDialog.preload().catch(() => undefined);

export function NavigationGuardProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<((isConfirmed: boolean) => void) | null>(null);
  const [hasAsked, setHasAsked] = useState(false);
  useEffect(() => {
    ask = () =>
      new Promise<boolean>((resolve) => {
        setHasAsked(true);
        setPending(() => resolve);
      });
  }, []);
  const answer = (isConfirmed: boolean) => {
    pending?.(isConfirmed);
    setPending(null);
  };
  const value = useMemo(
    () => ({
      confirmLeave: async () => {
        if (!hasUnsavedChanges) return true;
        const isConfirmed = await ask();
        if (isConfirmed) hasUnsavedChanges = false;
        return isConfirmed;
      },
    }),
    [],
  );
  return (
    <GuardContext value={value}>
      {children}
      {/* Mounted from the first question on, so that closing it returns focus as a native
          dialog does; until then, nothing to render. */}
      {hasAsked ? (
        <Suspense fallback={null}>
          <LeaveDialog isOpen={pending !== null} onAnswer={answer} />
        </Suspense>
      ) : null}
    </GuardContext>
  );
}

export function useNavigationGuard(): GuardContextValue {
  return useContext(GuardContext);
}

/** While `isDirty`, leaving the page asks first. Pass false right before a deliberate exit. */
export function useUnsavedChangesGuard(isDirty: boolean) {
  const isDirtyRef = useRef(isDirty);
  isDirtyRef.current = isDirty;
  useEffect(() => {
    hasUnsavedChanges = isDirty;
    if (!isDirty) return;
    preloadLeaveDialog();
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!hasUnsavedChanges) return;
      event.preventDefault();
      // Older browsers need returnValue set to show their dialog.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      hasUnsavedChanges = false;
    };
  }, [isDirty]);
}

let workInProgress = 0;

/**
 * While `isBusy`, the page holds work worth keeping that is not a form (a selection of
 * rows): an expired sign-in is then renewed over the page instead of leaving it.
 */
export function useWorkInProgress(isBusy: boolean) {
  useEffect(() => {
    if (!isBusy) return;
    workInProgress += 1;
    return () => {
      workInProgress -= 1;
    };
  }, [isBusy]);
}

/** Whether the page holds unsaved changes or other work worth keeping. */
export function hasUnsavedWork(): boolean {
  return hasUnsavedChanges || workInProgress > 0;
}

/** Lets a deliberate exit (after a successful save) through without asking. */
export function releaseUnsavedChangesGuard() {
  hasUnsavedChanges = false;
}
