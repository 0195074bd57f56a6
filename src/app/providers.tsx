import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, StrictMode } from "react";
import { Router } from "wouter";
import { AnnouncementProvider } from "../navigation/announcements";
import { NavigationGuardProvider, useGuardedLocation } from "../navigation/navigation-guard";
import { ApplyProvider } from "../pending-apply/apply";
import { AuthProvider } from "../session/auth";

/** Every provider of the page, lowest layer outermost: what each view may rely on. */
export function AppProviders({
  queryClient,
  children,
}: {
  queryClient: QueryClient;
  children: ReactNode;
}) {
  return (
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <Router hook={useGuardedLocation}>
          <NavigationGuardProvider>
            <AnnouncementProvider>
              <AuthProvider>
                <ApplyProvider>{children}</ApplyProvider>
              </AuthProvider>
            </AnnouncementProvider>
          </NavigationGuardProvider>
        </Router>
      </QueryClientProvider>
    </StrictMode>
  );
}
