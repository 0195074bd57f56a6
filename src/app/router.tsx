import { lazy, type ReactNode, Suspense, useEffect } from "react";
import { Link, Redirect, Route, Switch } from "wouter";
import { FocusViewHeadingOnNavigation, ViewHeading } from "../components/view-heading";
import { CREATE_PATH, LIST_PATH } from "../features/tls-strategies/paths";
import { TlsStrategyList } from "../features/tls-strategies/tls-strategy-list";
import { AppLayout } from "./layout";

// The list is what an admin opens most; the form and the sign-in page load on demand.
const SignInPage = lazy(() => import("./sign-in-page").then((m) => ({ default: m.SignInPage })));
const loadCreatePage = () => import("../features/tls-strategies/tls-strategy-create-page");
const loadEditPage = () => import("../features/tls-strategies/tls-strategy-edit-page");
const TlsStrategyCreatePage = lazy(() =>
  loadCreatePage().then((m) => ({ default: m.TlsStrategyCreatePage })),
);
const TlsStrategyEditPage = lazy(() =>
  loadEditPage().then((m) => ({ default: m.TlsStrategyEditPage })),
);

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
        void loadEditPage();
        void loadCreatePage();
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
    <Suspense
      fallback={
        <p role="status" className="placeholder">
          Loading…
        </p>
      }
    >
      {children}
    </Suspense>
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
      <Route path={LIST_PATH}>
        <AppLayout>
          <TlsStrategyList />
          <PreloadForms />
        </AppLayout>
      </Route>
      <Route path={CREATE_PATH}>
        <AppLayout>
          <Loading>
            <TlsStrategyCreatePage />
          </Loading>
        </AppLayout>
      </Route>
      <Route path={`${LIST_PATH}/:id`}>
        {(params) => (
          <AppLayout>
            <Loading>
              <TlsStrategyEditPage id={params.id} />
            </Loading>
          </AppLayout>
        )}
      </Route>
      <Route>
        <NotFoundPage />
      </Route>
    </Switch>
  );
}
