import { queryOptions, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import * as z from "zod/mini";
import { type Credentials, JmapClient } from "../jmap/client";

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

interface AuthContextValue {
  client: JmapClient | null;
  /** Verifies the credentials against the server, then keeps them. */
  signIn: (credentials: Credentials) => Promise<void>;
  signOut: () => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [client, setClient] = useState(() => {
    const credentials = loadCredentials();
    return credentials ? newClient(credentials) : null;
  });

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

  const value = useMemo(() => ({ client, signIn, signOut }), [client, signIn, signOut]);
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth must be used inside <AuthProvider>.");
  return auth;
}

/** The signed-in client; only for pages behind <RequireAuth>. */
export function useJmapClient(): JmapClient {
  const { client } = useAuth();
  if (!client) throw new Error("useJmapClient must be used on a signed-in page.");
  return client;
}
