import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * Writes to the query cache what a change (or a read made for one) has just learned, after
 * stopping every read under `keys` that is still in flight. A read that left before the
 * change would otherwise land after it and put back what it replaced: a strategy just
 * deleted as a live link again, a saved description reverted on screen. TanStack Query
 * cancels synchronously (the query is back to its state before that read), so `write` is
 * what stays; what the cancelled reads were for is marked stale and fetched again by the
 * caller (README, "The page agrees with itself").
 */
export function writeAfterChange(
  queryClient: QueryClient,
  keys: readonly QueryKey[],
  write: () => void,
): void {
  for (const queryKey of keys) void queryClient.cancelQueries({ queryKey });
  write();
}
