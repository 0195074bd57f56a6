import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Router } from "wouter";
import { App } from "./app/router";
import { applyTheme, readTheme } from "./components/theme";
import { TransportError } from "./jmap/errors";
import { AnnouncementProvider } from "./session/announcements";
import { ApplyProvider } from "./session/apply";
import { AuthProvider } from "./session/auth";
import { NavigationGuardProvider, useGuardedLocation } from "./session/navigation-guard";
import "./styles.css";

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

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element.");

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
);
