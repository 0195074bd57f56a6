import { queryOptions, useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useContext,
  useMemo,
  useRef,
  useState,
} from "react";
import * as z from "zod/mini";
import { type Credentials, JmapClient } from "../jmap/client";
import { UnauthorizedError } from "../jmap/errors";

const SignInDialog = lazy(() =>
  import("./sign-in-dialog").then((m) => ({ default: m.SignInDialog })),
);

// Credentials live in sessionStorage only: they survive a reload of this tab, never reach
// another tab or outlive the browser session, and are never written to localStorage.
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

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [client, setClient] = useState(() => {
    const credentials = loadCredentials();
    return credentials ? newClient(credentials) : null;
  });
  const [isAskingAgain, setIsAskingAgain] = useState(false);
  const waiting = useRef<((isSignedIn: boolean) => void)[]>([]);

  const signIn = useCallback(
    async (credentials: Credentials) => {
      const candidate = newClient(credentials);
      // Session and permissions in parallel: both are needed before the first page shows.
      const [, account] = await Promise.all([candidate.session(), candidate.account()]);
      queryClient.clear();
      queryClient.setQueryData(accountQuery(candidate).queryKey, account);
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
      setClient(candidate);
    },
    [queryClient],
  );

  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    sessionStorage.removeItem(SESSION_URL_KEY);
    setClient(null);
    queryClient.clear();
  }, [queryClient]);

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
        const [, account] = await Promise.all([candidate.session(), candidate.account()]);
        client.setCredentials(credentials);
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
        queryClient.setQueryData(accountQuery(client).queryKey, account);
      }
      setIsAskingAgain(false);
      for (const resolve of waiting.current.splice(0)) resolve(credentials !== null);
    },
    [client, queryClient],
  );

  const value = useMemo(
    () => ({ client, signIn, signOut, reauthenticate, isReauthenticating }),
    [client, signIn, signOut, reauthenticate, isReauthenticating],
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
