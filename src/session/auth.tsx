import { queryOptions, useQueryClient } from "@tanstack/react-query";
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
import * as z from "zod/mini";
import { type Credentials, JmapClient } from "../jmap/client";
import { UnauthorizedError } from "../jmap/errors";
import { hasUnsavedWork } from "./navigation-guard";
import {
  canAskOpenTabs,
  connectToOpenTabs,
  holdSignedInLock,
  type OpenTabs,
  withoutSecret,
} from "./tab-sign-in";

const SignInDialog = lazy(() =>
  import("./sign-in-dialog").then((m) => ({ default: m.SignInDialog })),
);

// Credentials live in sessionStorage only: they survive a reload of this tab, never outlive
// the browser session, and are never written to localStorage. A new tab of the same browser
// gets them from an open, signed-in tab, in memory over a BroadcastChannel (tab-sign-in.ts).
const STORAGE_KEY = "stalwart-tls-strategies.credentials";
const SESSION_URL_KEY = "stalwart-tls-strategies.session-url";

const sessionUrlCache = {
  get: () => sessionStorage.getItem(SESSION_URL_KEY),
  set: (url: string) => sessionStorage.setItem(SESSION_URL_KEY, url),
};

const newClient = (credentials: Credentials) => new JmapClient(credentials, { sessionUrlCache });

const credentialsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("basic"), username: z.string(), password: z.string() }),
  z.object({ kind: z.literal("bearer"), token: z.string() }),
]);

function loadCredentials(): Credentials | null {
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (!stored) return null;
    const parsed = credentialsSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const keepCredentials = (credentials: Credentials) =>
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));

function forgetCredentials() {
  sessionStorage.removeItem(STORAGE_KEY);
  sessionStorage.removeItem(SESSION_URL_KEY);
}

export const accountQuery = (client: JmapClient) =>
  queryOptions({
    queryKey: ["account"],
    queryFn: () => client.account(),
    staleTime: Number.POSITIVE_INFINITY,
  });

/** The JMAP session the client discovered: its apiUrl, account and user name. */
export const sessionQuery = (client: JmapClient) =>
  queryOptions({
    queryKey: ["session"],
    queryFn: () => client.session(),
    staleTime: Number.POSITIVE_INFINITY,
  });

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

/**
 * Where a tab opened without credentials of its own stands: looking for a signed-in tab
 * (`querying`, renders nothing: a few milliseconds), waiting for its answer (`asking`, at most
 * ANSWER_TIMEOUT_MS, says "Signing in…"), or `done`.
 */
type OpenTabsCheck = "querying" | "asking" | "done";

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [client, setClient] = useState(() => {
    const credentials = loadCredentials();
    return credentials ? newClient(credentials) : null;
  });
  const [openTabsCheck, setOpenTabsCheck] = useState<OpenTabsCheck>(() =>
    client === null && canAskOpenTabs() ? "querying" : "done",
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
    if (sharedClient) return holdSignedInLock();
  }, [sharedClient]);

  const endReauthentication = useCallback((isSignedIn: boolean) => {
    setIsAskingAgain(false);
    for (const resolve of waiting.current.splice(0)) resolve(isSignedIn);
  }, []);

  const signIn = useCallback(
    async (credentials: Credentials) => {
      const candidate = newClient(credentials);
      // Session and permissions in parallel: both are needed before the first page shows.
      const [session, account] = await Promise.all([candidate.session(), candidate.account()]);
      queryClient.clear();
      queryClient.setQueryData(accountQuery(candidate).queryKey, account);
      keepCredentials(credentials);
      setClient(candidate);
      setIsDropped(false);
      openTabs.current?.announceSignIn(credentials, session.username);
    },
    [queryClient],
  );

  const endSession = useCallback(() => {
    forgetCredentials();
    setClient(null);
    setIsDropped(false);
    queryClient.clear();
  }, [queryClient]);

  const signOut = useCallback(() => {
    // A tab whose credentials were already dropped by another tab's sign-out has none to end.
    if (shared.current) openTabs.current?.announceSignOut();
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
        const [session, account] = await Promise.all([candidate.session(), candidate.account()]);
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
    // The other tab verified them; like a reload, this tab does not check them again.
    queryClient.clear();
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
      void reauthenticate();
      return;
    }
    // The app layout sees no client and goes to the sign-in page, then back here.
    endSession();
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
    const tabs = connectToOpenTabs({
      shareableCredentials: () => shared.current?.credentials ?? null,
      onSignedIn: (credentials, username) => onSignedInElsewhere(credentials, username),
      onSignedOut: () => onSignedOutElsewhere(),
    });
    openTabs.current = tabs;
    void signInFromOpenTabs(tabs);
    return () => {
      openTabs.current = null;
      tabs?.close();
    };
  }, []);

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
        if (!(error instanceof UnauthorizedError) || !(await reauthenticate())) throw error;
        return action();
      }
    },
    [reauthenticate],
  );
}
