import { type ComponentType, type ReactNode, Suspense, useEffect } from "react";
import { Link, Redirect, Route, Switch } from "wouter";
import { LoadBoundary } from "../components/load-boundary";
import { preloadable, preloadedComponent } from "../components/preloadable";
import { FocusViewHeadingOnNavigation, ViewHeading } from "../components/view-heading";
import { TlsStrategyList } from "../features/tls-strategies/list/list";
import { createPage, editPage } from "../features/tls-strategies/list/pages";
import { CREATE_PATH, LIST_PATH, RULES_PATH, TEST_PATH } from "../paths";

import { AppLayout } from "./layout";

// The list is what an admin opens most; the form and the sign-in page load on demand. The
// form's pages never show a fallback once their code is there (components/preloadable.ts).
const signInPage = preloadable(() => import("./sign-in-page"));

/** For a tab without credentials: its sign-in page's code, fetched before the first render. */
export const preloadSignInPage = () => void signInPage.preload().catch(() => undefined);

const SignInPage = preloadedComponent(signInPage, (m) => m.SignInPage);

const TlsStrategyCreatePage = preloadedComponent(createPage, (m) => m.TlsStrategyCreatePage);

const TlsStrategyEditPage = preloadedComponent(editPage, (m) => m.TlsStrategyEditPage);

/**
 * The views below the list with a path of their own, each loaded when opened: creating a
 * strategy, testing a destination (features/delivery-test), which strategy applies where
 * (features/tls-assignment). One table, so that each costs the list's code one line.
 */
const VIEWS: [path: string, View: ComponentType][] = [
  [CREATE_PATH, TlsStrategyCreatePage],
  [
    TEST_PATH,
    preloadedComponent(
      preloadable(() => import("../features/delivery-test/test-page")),
      (m) => m.DeliveryTestPage,
    ),
  ],
  [
    RULES_PATH,
    preloadedComponent(
      preloadable(() => import("../features/tls-assignment/rules-page")),
      (m) => m.TlsRulesPage,
    ),
  ],
];

/**
 * A moment after the list is on screen, when the browser is idle, fetch the form's code, so
 * that opening a strategy costs only its own data request and the list's first paint does
 * not compete with code it does not need.
 */
function PreloadForms() {
  useEffect(() => {
    let idle = 0;
    const timer = setTimeout(() => {
      const preload = () => {
        void editPage.preload().catch(() => undefined);
        void createPage.preload().catch(() => undefined);
        // Signing out or an expired sign-in then shows the sign-in page without a fallback.
        void signInPage.preload().catch(() => undefined);
      };
      if ("requestIdleCallback" in window)
        idle = window.requestIdleCallback(preload, { timeout: 2_000 });
      else preload();
    }, 1_500);
    return () => {
      clearTimeout(timer);
      if (idle) window.cancelIdleCallback(idle);
    };
  }, []);
  return null;
}

function Loading({ children }: { children?: ReactNode }) {
  return (
    <LoadBoundary
      fallback={
        <div role="alert" className="notice notice-error">
          <p>
            This part of the page could not be loaded: the connection may be down, or the page was
            updated on the server. Reload the page to try again.
          </p>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </div>
      }
    >
      <Suspense
        fallback={
          <p role="status" className="placeholder">
            Loading…
          </p>
        }
      >
        {children}
      </Suspense>
    </LoadBoundary>
  );
}

function NotFoundPage() {
  return (
    <main className="page">
      <title>Page not found · Stalwart</title>
      <ViewHeading>Page not found</ViewHeading>
      <p>
        There is nothing at this address. <Link href={LIST_PATH}>Go to TLS Strategies</Link>.
      </p>
    </main>
  );
}

export function App() {
  return (
    <>
      <FocusViewHeadingOnNavigation />
      <Routes />
    </>
  );
}

function Routes() {
  return (
    <Switch>
      <Route path="/">
        <Redirect to={LIST_PATH} replace />
      </Route>
      <Route path="/sign-in">
        <Loading>
          <SignInPage />
        </Loading>
      </Route>
      {/* One layout for every view of the page: moving between them re-renders only the view. */}
      <Route path={`${LIST_PATH}/:id?`}>
        <AppLayout>
          <Switch>
            <Route path={LIST_PATH}>
              <TlsStrategyList />
              <PreloadForms />
            </Route>
            {VIEWS.map(([path, View]) => (
              <Route key={path} path={path}>
                <Loading>
                  <View />
                </Loading>
              </Route>
            ))}
            <Route path={`${LIST_PATH}/:id`}>
              {(params) => (
                <Loading>
                  <TlsStrategyEditPage id={params.id} />
                </Loading>
              )}
            </Route>
          </Switch>
        </AppLayout>
      </Route>
      <Route>
        <NotFoundPage />
      </Route>
    </Switch>
  );
}
