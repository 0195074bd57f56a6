import { lazy, type ReactNode, Suspense } from "react";
import { Link, Redirect, Route, Switch } from "wouter";
import { CREATE_PATH, LIST_PATH } from "../features/tls-strategies/paths";
import { TlsStrategyList } from "../features/tls-strategies/tls-strategy-list";
import { AppLayout } from "./layout";

// The list is what an admin opens most; the form and the sign-in page load on demand.
const SignInPage = lazy(() => import("./sign-in-page").then((m) => ({ default: m.SignInPage })));
const TlsStrategyCreatePage = lazy(() =>
  import("../features/tls-strategies/tls-strategy-create-page").then((m) => ({
    default: m.TlsStrategyCreatePage,
  })),
);
const TlsStrategyEditPage = lazy(() =>
  import("../features/tls-strategies/tls-strategy-edit-page").then((m) => ({
    default: m.TlsStrategyEditPage,
  })),
);

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
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href={LIST_PATH}>Go to TLS Strategies</Link>.
      </p>
    </main>
  );
}

export function App() {
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
