import type { QueryClient } from "@tanstack/react-query";
import { isSignedOutElsewhere } from "../boot/sign-out-mark";
import { syncTheme } from "../components/theme";
import { refreshPendingState } from "../pending-apply/pending-changes";

/**
 * A page shown again from the back/forward cache (`pageshow` with `persisted`) is as it was
 * left, while the world went on: the theme may have been changed on another page, the
 * pending-apply list changed by another tab, some tab signed out, the data grown old. Each is
 * brought up to date at once: the theme from its cookie, the pending list from localStorage,
 * every query on screen older than its freshness window read again. The sign-in state is the
 * AuthProvider's (auth.tsx), which signs this tab out first if some tab signed out: nothing is
 * then read with the old credentials.
 */
export function installPageRestore(queryClient: QueryClient): void {
  // A tab brought back to the front follows a theme chosen in another tab meanwhile.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") syncTheme();
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    syncTheme();
    refreshPendingState();
    if (!isSignedOutElsewhere()) void queryClient.refetchQueries({ type: "active", stale: true });
  });
}
