import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * Writes to the query cache what a change (or a read made for one) has just learned, after
 * stopping every read under `keys` that is still in flight. A read that left before the
 * change would otherwise land after it and put back what it replaced: a strategy just
 * deleted as a live link again, a saved description reverted on screen. TanStack Query
 * cancels synchronously (the query is back to its state before that read), so `write` is
 * what stays. A stopped read that `write` did not answer is sent again at once if the page
 * shows it (the first read of a page opened while a delete was on its way), so nothing on
 * screen waits for a read that will never come (README, "The page agrees with itself").
 */
export function writeAfterChange(
  queryClient: QueryClient,
  keys: readonly QueryKey[],
  write: () => void,
): void {
  const cache = queryClient.getQueryCache();
  const stopped = keys.flatMap((queryKey) => cache.findAll({ queryKey, fetchStatus: "fetching" }));
  const answeredAt = new Map(stopped.map((query) => [query, query.state.dataUpdatedAt]));
  for (const queryKey of keys) void queryClient.cancelQueries({ queryKey });
  write();
  for (const [query, updatedAt] of answeredAt) {
    if (query.state.dataUpdatedAt !== updatedAt) continue;
    void queryClient.invalidateQueries({
      queryKey: query.queryKey,
      exact: true,
      refetchType: "active",
    });
  }
}
