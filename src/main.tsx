import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Router } from "wouter";
import { installPageRestore } from "./app/page-restore";
import { App, preloadSignInPage } from "./app/router";
import { applyTheme, readTheme } from "./components/theme";
import { LIST_PATH } from "./features/tls-strategies/paths";
import { prefetchListView } from "./features/tls-strategies/queries";
import { TransportError } from "./jmap/errors";
import { AnnouncementProvider } from "./session/announcements";
import { ApplyProvider } from "./session/apply";
import { AuthProvider, preloadTabSignIn, startingClient } from "./session/auth";
import { beginOpening } from "./session/early-requests";
import { NavigationGuardProvider, useGuardedLocation } from "./session/navigation-guard";
import "./styles.css";

/** How long the first render waits for answers the inline script asked for, at most, ms. */
const FIRST_RENDER_WAIT_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Data older than 30 s is refetched when the window regains focus.
      staleTime: 30_000,
      refetchOnWindowFocus: true,
      // Only transport failures are worth retrying; a refusal will not change on its own.
      retry: (failureCount, error) => error instanceof TransportError && failureCount < 2,
    },
    mutations: { retry: false },
  },
});

// The server already put the theme on <html>; the development server does not.
applyTheme(readTheme());
installPageRestore(queryClient);

// A reload of a signed-in tab on the list: its requests leave now, before the first render,
// or have left already from index.html's inline script (session/early-requests.ts).
const client = startingClient();
let firstData: Promise<unknown> = Promise.resolve();
if (client && window.location.pathname === LIST_PATH) {
  const opening = beginOpening();
  const listed = prefetchListView(queryClient, client, window.location.search).then(opening.end);
  // Answers already on their way are waited for, a little: the first render then shows the
  // rows, instead of "Loading" and a second render. Until then the HTML's frame is on screen.
  if (opening.isEarly) firstData = Promise.race([listed, sleep(FIRST_RENDER_WAIT_MS)]);
}

// A tab without credentials first asks the open tabs, then (most often) shows the sign-in
// page: both pieces of code are fetched now, side by side, not one after the other.
if (!client) {
  preloadTabSignIn();
  preloadSignInPage();
}

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element.");

void firstData.then(() =>
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <Router hook={useGuardedLocation}>
          <NavigationGuardProvider>
            <AnnouncementProvider>
              <AuthProvider>
                <ApplyProvider>
                  <App />
                </ApplyProvider>
              </AuthProvider>
            </AnnouncementProvider>
          </NavigationGuardProvider>
        </Router>
      </QueryClientProvider>
    </StrictMode>,
  ),
);
