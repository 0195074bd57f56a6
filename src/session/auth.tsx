import { useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useContext,
  useEffect,
  useEffectEvent,
  useMemo,
  useRef,
  useState,
} from "react";
import { SESSION_KEY } from "../boot/early-replay";
import { isSignedOutElsewhere, markSignOut, SIGN_OUT_KEY } from "../boot/sign-out-mark";
import { type Credentials, withoutSecret } from "../jmap/authorization";
import type { JmapClient } from "../jmap/client";
import { UnauthorizedError } from "../jmap/errors";
import { useAnnouncements } from "../navigation/announcements";
import { hasUnsavedWork } from "../navigation/navigation-guard";
import { accountQuery, sessionQuery } from "../stalwart/account";
import { forgetCredentials, keepCredentials, newClient, startingClient } from "./credentials";
import type { OpenTabs } from "./tab-sign-in";

/**
 * Tab-to-tab sign-in (tab-sign-in.ts) loads after the first render: it is not on the list's
 * critical path (README, "Speed"). Events from other tabs only arrive once it has loaded.
 */
let tabSignIn: typeof import("./tab-sign-in") | undefined;
const loadTabSignIn = async () => {
  tabSignIn ??= await import("./tab-sign-in");
  return tabSignIn;
};

const SignInDialog = lazy(() =>
  import("./sign-in-dialog").then((m) => ({ default: m.SignInDialog })),
);

/** Starts loading tab-to-tab sign-in: for a tab without credentials, before the first render. */
export const preloadTabSignIn = () => void loadTabSignIn().catch(() => undefined);

interface AuthContextValue {
  client: JmapClient | null;
  /** Verifies the credentials against the server, then keeps them. */
  signIn: (credentials: Credentials) => Promise<void>;
  signOut: () => void;
  /**
   * Asks for credentials again in a dialog over the current page (nothing on it is lost).
   * Resolves true once signed in, false if the admin cancelled. Asked while the dialog is
   * already open, it waits for that same dialog.
   */
  reauthenticate: () => Promise<boolean>;
  /** Whether the sign-in dialog is open over the page right now. */
  isReauthenticating: () => boolean;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** Signing in again over a page as another user than the one whose page it is. */
export class OtherUserError extends Error {
  override name = "OtherUserError";
  constructor(username: string) {
    super(
      `This page holds the work of “${username}”: sign in as “${username}” to go on, or cancel and sign out to switch users.`,
    );
  }
}

/**
 * Where a tab opened without credentials of its own stands: looking for a signed-in tab
 * (`querying`, renders nothing: a few milliseconds), waiting for its answer (`asking`, at most
 * ANSWER_TIMEOUT_MS, says "Signing in…"), or `done`.
 */
type OpenTabsCheck = "querying" | "asking" | "done";

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  // News about what the last user did is theirs alone: it goes with their session.
  const { clear: clearAnnouncement } = useAnnouncements();
  const [client, setClient] = useState(startingClient);
  const [openTabsCheck, setOpenTabsCheck] = useState<OpenTabsCheck>(() =>
    client === null ? "querying" : "done",
  );
  // Another tab signed out while this one held unsaved work: the page stays, its secret is gone.
  const [isDropped, setIsDropped] = useState(false);
  const [isAskingAgain, setIsAskingAgain] = useState(false);
  const waiting = useRef<((isSignedIn: boolean) => void)[]>([]);
  const openTabs = useRef<OpenTabs | null>(null);

  // The client whose credentials this tab may hand to a new tab; while there is one, the tab
  // holds the signed-in lock, so new tabs know to ask.
  const sharedClient = client !== null && !isDropped ? client : null;
  const shared = useRef(sharedClient);
  useEffect(() => {
    shared.current = sharedClient;
    if (!sharedClient) return;
    let release: (() => void) | undefined;
    let isEnded = false;
    void loadTabSignIn().then(
      (module) => {
        if (!isEnded) release = module.holdSignedInLock();
      },
      () => undefined,
    );
    return () => {
      isEnded = true;
      release?.();
    };
  }, [sharedClient]);

  const endReauthentication = useCallback((isSignedIn: boolean) => {
    setIsAskingAgain(false);
    for (const resolve of waiting.current.splice(0)) resolve(isSignedIn);
  }, []);

  const signIn = useCallback(
    async (credentials: Credentials) => {
      const candidate = newClient(credentials);
      // Session and permissions in parallel: both are needed before the first page shows.
      const [session, account] = await Promise.all([
        candidate.session({ useRemembered: false }),
        candidate.account(),
      ]);
      queryClient.clear();
      clearAnnouncement();
      queryClient.setQueryData(accountQuery(candidate).queryKey, account);
      keepCredentials(credentials);
      setClient(candidate);
      setIsDropped(false);
      openTabs.current?.announceSignIn(credentials, session.username);
    },
    [queryClient, clearAnnouncement],
  );

  const endSession = useCallback(() => {
    forgetCredentials();
    client?.dispose();
    setClient(null);
    setIsDropped(false);
    queryClient.clear();
    clearAnnouncement();
  }, [client, queryClient, clearAnnouncement]);

  const signOut = useCallback(() => {
    // A tab whose credentials were already dropped by another tab's sign-out has none to end.
    if (shared.current) openTabs.current?.announceSignOut();
    // For the tabs that cannot hear it now (in history, reloaded later): sign-out-mark.ts.
    markSignOut();
    endSession();
  }, [endSession]);

  const reauthenticate = useCallback(() => {
    setIsAskingAgain(true);
    return new Promise<boolean>((resolve) => waiting.current.push(resolve));
  }, []);
  const isReauthenticating = useCallback(() => waiting.current.length > 0, []);

  const finishReauthentication = useCallback(
    async (credentials: Credentials | null) => {
      if (credentials && !client) {
        // Signed out meanwhile: nothing to sign in again to.
        credentials = null;
      }
      if (credentials && client) {
        const candidate = newClient(credentials);
        const [session, account, current] = await Promise.all([
          candidate.session({ useRemembered: false }),
          candidate.account(),
          client.session(),
        ]);
        // Over the page of one user, only that user may sign in again: the work on it, the
        // account it is sent to and the list of changes not applied are theirs.
        if (session.username !== current.username) throw new OtherUserError(current.username);
        client.setCredentials(credentials);
        keepCredentials(credentials);
        queryClient.setQueryData(accountQuery(client).queryKey, account);
        setIsDropped(false);
        openTabs.current?.announceSignIn(credentials, session.username);
      }
      endReauthentication(credentials !== null);
    },
    [client, queryClient, endReauthentication],
  );

  // --- Other tabs of this page (tab-sign-in.ts) ---

  /** Signs this tab in with another tab's credentials, if it has no client of its own. */
  const adopt = useEffectEvent((credentials: Credentials) => {
    setOpenTabsCheck("done");
    if (client) return;
    // The other tab verified them; like a reload, this tab does not check them again. Any
    // session this tab remembers may be another user's: it is read afresh.
    queryClient.clear();
    clearAnnouncement();
    sessionStorage.removeItem(SESSION_KEY);
    keepCredentials(credentials);
    setClient(newClient(credentials));
    setIsDropped(false);
  });

  /** New credentials for the user this tab is signed in as (or was, before a drop). */
  const renew = useEffectEvent((target: JmapClient, credentials: Credentials) => {
    if (client !== target) return;
    target.setCredentials(credentials);
    keepCredentials(credentials);
    setIsDropped(false);
    if (waiting.current.length > 0) endReauthentication(true);
  });

  const onSignedInElsewhere = useEffectEvent((credentials: Credentials, username: string) => {
    if (!client) return adopt(credentials);
    // Authoritative for this tab only when it is signed in as the same user.
    const target = client;
    void target.session().then(
      (session) => {
        if (session.username === username) renew(target, credentials);
      },
      () => undefined,
    );
  });

  const onSignedOutElsewhere = useEffectEvent(() => {
    if (!client || isDropped) return;
    if (hasUnsavedWork() || waiting.current.length > 0) {
      // Work on the page: like a 401, sign in over it. The secret goes at once, in memory too.
      forgetCredentials();
      client.setCredentials(withoutSecret(client.credentials));
      setIsDropped(true);
      // Signed in again: what the page shows is read again with the new credentials.
      void reauthenticate().then((isSignedIn) => {
        if (isSignedIn) void queryClient.invalidateQueries();
      });
      return;
    }
    // The app layout sees no client and goes to the sign-in page, then back here.
    endSession();
  });

  const askOpenTabsAgain = useEffectEvent(() => {
    if (client) return;
    void openTabs.current?.askCredentials().then((credentials) => {
      if (credentials) adopt(credentials);
    });
  });

  const signInFromOpenTabs = useEffectEvent(async (tabs: OpenTabs | null) => {
    if (openTabsCheck === "done") return;
    const credentials = await tabs?.askCredentials(() => setOpenTabsCheck("asking"));
    // Closed meanwhile (StrictMode's second mount asks again).
    if (tabs !== openTabs.current) return;
    if (credentials) adopt(credentials);
    else setOpenTabsCheck("done");
  });

  useEffect(() => {
    let tabs: OpenTabs | null = null;
    let isClosed = false;
    void loadTabSignIn().then(
      (module) => {
        if (isClosed) return;
        tabs = module.connectToOpenTabs({
          shareableCredentials: () => shared.current?.credentials ?? null,
          onSignedIn: (credentials, username) => onSignedInElsewhere(credentials, username),
          onSignedOut: () => onSignedOutElsewhere(),
        });
        openTabs.current = tabs;
        void signInFromOpenTabs(tabs);
      },
      // Not loaded (offline): this tab signs in on its own.
      () => {
        if (!isClosed) setOpenTabsCheck("done");
      },
    );
    return () => {
      isClosed = true;
      openTabs.current = null;
      tabs?.close();
    };
  }, []);

  // Shown again from the back/forward cache, or told by another tab's storage write: if some
  // tab signed out meanwhile, this one signs out too (or, holding unsaved work, asks again
  // over it), before anything is read with the old credentials (sign-out-mark.ts).
  useEffect(() => {
    const check = () => {
      if (isSignedOutElsewhere()) onSignedOutElsewhere();
    };
    const onPageShow = (event: PageTransitionEvent) => {
      if (!event.persisted) return;
      check();
      // Shown again on the sign-in page: some tab may have signed in meanwhile.
      askOpenTabsAgain();
    };
    const onStorage = (event: StorageEvent) => {
      if (event.key === SIGN_OUT_KEY || event.key === null) check();
    };
    window.addEventListener("pageshow", onPageShow);
    window.addEventListener("storage", onStorage);
    // A sign-out elsewhere between this tab's start and now (the first render may wait for
    // early answers) was heard by no listener yet.
    check();
    return () => {
      window.removeEventListener("pageshow", onPageShow);
      window.removeEventListener("storage", onStorage);
    };
  }, []);

  // The session changed on the server (RFC 8620 §3.4): the permissions read with the old one
  // may be stale too (an administrator granted or revoked some). Both are read again, so
  // Create, checkboxes and Save follow the server without waiting for a refusal.
  useEffect(() => {
    if (!client) return;
    return client.onSessionChange(() => {
      void queryClient.invalidateQueries({ queryKey: accountQuery(client).queryKey });
      void queryClient.invalidateQueries({ queryKey: sessionQuery(client).queryKey });
    });
  }, [client, queryClient]);

  const value = useMemo(
    () => ({ client, signIn, signOut, reauthenticate, isReauthenticating }),
    [client, signIn, signOut, reauthenticate, isReauthenticating],
  );
  if (openTabsCheck === "querying") return null;
  if (openTabsCheck === "asking")
    return (
      <p role="status" className="placeholder">
        Signing in…
      </p>
    );
  return (
    <AuthContext value={value}>
      {children}
      {isAskingAgain ? (
        <Suspense fallback={null}>
          <SignInDialog
            username={client?.credentials.kind === "basic" ? client.credentials.username : ""}
            onSignIn={(credentials) => finishReauthentication(credentials)}
            onCancel={() => finishReauthentication(null)}
          />
        </Suspense>
      ) : null}
    </AuthContext>
  );
}

export function useAuth(): AuthContextValue {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth must be used inside <AuthProvider>.");
  return auth;
}

/** The signed-in client; only for pages behind the app layout. */
export function useJmapClient(): JmapClient {
  const { client } = useAuth();
  if (!client) throw new Error("useJmapClient must be used on a signed-in page.");
  return client;
}

/**
 * Runs `action`; if the server says the credentials stopped working, asks for them again in
 * place and runs it once more with the same input. Nothing the admin typed is lost.
 */
export function useWithReauthentication() {
  const { reauthenticate } = useAuth();
  return useCallback(
    async <T,>(action: () => Promise<T>): Promise<T> => {
      try {
        return await action();
      } catch (error) {
        if (!(error instanceof UnauthorizedError)) throw error;
        // Refused credentials replaced since it left: the new ones are tried without asking.
        if (!error.isStale && !(await reauthenticate())) throw error;
        return action();
      }
    },
    [reauthenticate],
  );
}
