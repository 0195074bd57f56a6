import { QueryClient } from "@tanstack/react-query";
import { TransportError } from "../jmap/errors";

/** The page's one query client: what counts as fresh, and what is worth retrying. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
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
}
