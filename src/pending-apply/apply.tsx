import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import type { JmapClient } from "../jmap/client";
import { useAnnouncements } from "../navigation/announcements";
import { useAuth, useWithReauthentication } from "../session/auth";
import type { ReloadOutcome } from "../stalwart/reload-settings";
import type { SaveWithReload } from "./contracts";

// Applying saved changes: a settings reload (shared wire reference §11), from the pending
// notice ("Apply now"), from the list ("Reload settings") or along with a save ("Save and
// apply"). The provider holds only the state; what runs is in apply-run.tsx, loaded with the
// code that saves or when Apply is pressed (README, "Speed").

/** The code behind the provider: loaded on first use, preloaded with a form's code. */
export const applyRun = () => import("./apply-run");

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
