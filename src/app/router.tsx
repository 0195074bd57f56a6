import { createBrowserRouter, Link, Navigate } from "react-router";
import { LIST_PATH } from "../features/tls-strategies/paths";
import { TlsStrategyCreatePage } from "../features/tls-strategies/tls-strategy-create-page";
import { TlsStrategyEditPage } from "../features/tls-strategies/tls-strategy-edit-page";
import { TlsStrategyList } from "../features/tls-strategies/tls-strategy-list";
import { AppLayout } from "./layout";
import { SignInPage } from "./sign-in-page";

function NotFoundPage() {
  return (
    <main className="page">
      <title>Page not found · Stalwart</title>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to={LIST_PATH}>Go to TLS Strategies</Link>.
      </p>
    </main>
  );
}

export const router = createBrowserRouter([
  { path: "/", element: <Navigate to={LIST_PATH} replace /> },
  { path: "/sign-in", element: <SignInPage /> },
  {
    path: LIST_PATH,
    element: <AppLayout />,
    children: [
      { index: true, element: <TlsStrategyList /> },
      { path: "new", element: <TlsStrategyCreatePage /> },
      { path: ":id", element: <TlsStrategyEditPage /> },
    ],
  },
  { path: "*", element: <NotFoundPage /> },
]);
