import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect } from "react";
import { Link, Redirect, useLocation } from "wouter";
import { ShownText } from "../components/shown-text";
import { ThemeSelect } from "../components/theme";
import { ViewNoticesProvider } from "../components/view-heading";
import { lastListPath } from "../features/tls-strategies/data/last-list-view";
import { MethodError, UnauthorizedError } from "../jmap/errors";
import { Announcements } from "../navigation/announcements";
import { hasUnsavedWork, useNavigationGuard } from "../navigation/navigation-guard";
import { useUrlSearch } from "../navigation/url-search";
import { editPath, LIST_PATH, signInPath } from "../paths";
import type { ObjectLink } from "../pending-apply/contracts";
import { PendingApplyNotice } from "../pending-apply/notice-slot";
import { useAuth } from "../session/auth";
import { accountQuery, sessionQuery } from "../stalwart/account";
import { cachedName, OBJECT } from "../stalwart/tls-strategy";

/**
 * Pages behind sign-in. A 401 while loading returns to sign-in, then back here; a 401 while
 * saving asks for credentials in place instead (useWithReauthentication), so no work is lost.
 */
export function AppLayout({ children }: { children: ReactNode }) {
  const { client, signOut, reauthenticate, isReauthenticating } = useAuth();
  const [pathname, navigate] = useLocation();
  const search = useUrlSearch();
  const queryClient = useQueryClient();
  const { confirmLeave } = useNavigationGuard();
  // Who is signed in, as the server names them: also for an API key (session `username`).
  const session = useQuery({
    ...sessionQuery(client as NonNullable<typeof client>),
    enabled: client !== null,
  });
  // Where a failed reload's object can be opened: TLS strategies only, by name when known.
  const tlsStrategyLink: ObjectLink = (objectId) => {
    if (objectId.object !== OBJECT) return null;
    const name = cachedName(queryClient, objectId.id);
    return {
      href: editPath(objectId.id),
      label:
        name === undefined
          ? `the TLS strategy with id “${objectId.id}”`
          : `the TLS strategy “${name}”`,
    };
  };

  useEffect(() => {
    let isAsking = false;
    const expire = async (error: unknown) => {
      if (!(error instanceof UnauthorizedError) || isAsking) return;
      // Sent before a sign-in that has since succeeded: read again with the new credentials.
      if (error.isStale) {
        await queryClient.invalidateQueries();
        return;
      }
      if (hasUnsavedWork() || isReauthenticating()) {
        // Work on the page, or the sign-in dialog already open over it (a save asked): sign
        // in over the page, then load what failed again.
        isAsking = true;
        const isSignedIn = await reauthenticate();
        isAsking = false;
        if (isSignedIn) await queryClient.invalidateQueries();
        return;
      }
      const { pathname, search } = window.location;
      signOut();
      navigate(signInPath(pathname + search), { replace: true });
    };
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== "updated" || event.action.type !== "error") return;
      const { error } = event.action;
      // Refused for a missing permission: what the page offers may be out of date (a server
      // whose session state does not follow permissions), so they are read again.
      if (error instanceof MethodError && error.type === "forbidden" && client)
        void queryClient.invalidateQueries({ queryKey: accountQuery(client).queryKey });
      void expire(error);
    });
    return () => {
      unsubscribeQueries();
    };
  }, [queryClient, signOut, navigate, reauthenticate, isReauthenticating, client]);

  if (!client) return <Redirect to={signInPath(pathname + search)} replace />;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Stalwart</span>
        <div className="account">
          <ThemeSelect />
          <span className="username">
            {client.credentials.kind === "basic" ? (
              <ShownText text={client.credentials.username} />
            ) : session.data ? (
              <ShownText text={session.data.username} />
            ) : (
              "API key"
            )}
          </span>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              void confirmLeave().then((isConfirmed) => {
                if (isConfirmed) signOut();
              });
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="page">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <ol>
            <li>Settings</li>
            <li>MTA</li>
            <li>Outbound</li>
            <li>
              <Link
                href={pathname === LIST_PATH ? LIST_PATH : lastListPath()}
                aria-current={pathname === LIST_PATH ? "page" : undefined}
              >
                TLS Strategies
              </Link>
            </li>
          </ol>
        </nav>
        <ViewNoticesProvider
          notices={
            <>
              <Announcements />
              <PendingApplyNotice objectLink={tlsStrategyLink} />
            </>
          }
        >
          {children}
        </ViewNoticesProvider>
      </main>
    </div>
  );
}
