import type { QueryClient } from "@tanstack/react-query";
import type { JmapClient } from "../../../jmap/client";
import { accountQuery } from "../../../stalwart/account";
import { outboundQueries } from "../../../stalwart/outbound-strategy";
import { tlsStrategyQueries } from "../../../stalwart/tls-strategy";
import { parseListView } from "../model/list-params";

// Reads that leave ahead of a view: the list on a reload (before the first render), a
// strategy when the pointer reaches its link.

/** How long a read of one strategy counts as fresh when its edit page opens, in ms. */
export const DETAIL_FRESH_MS = 5_000;

/**
 * Reads the strategy `id` ahead of opening it (pointer over, focus on, or press of its link)
 * unless it was read less than DETAIL_FRESH_MS ago: the edit page then opens with no read of
 * its own. Errors are left for the page to meet.
 */
export function prefetchTlsStrategy(queryClient: QueryClient, client: JmapClient, id: string) {
  void queryClient.prefetchQuery({
    ...tlsStrategyQueries.detail(client, id),
    staleTime: DETAIL_FRESH_MS,
  });
}

/**
 * Sends the list's first requests for the view in `search` (the page's query string) now:
 * for a reload of a signed-in tab, from main.tsx before the first render, so they overlap
 * with React's start instead of following it. The list then finds its data in the cache.
 * Resolves, once all three reads have settled, to whether the list's page was read.
 */
export function prefetchListView(
  queryClient: QueryClient,
  client: JmapClient,
  search: string,
): Promise<boolean> {
  const list = tlsStrategyQueries.list(client, parseListView(new URLSearchParams(search)));
  const reads = [
    queryClient.prefetchQuery(list),
    queryClient.prefetchQuery(outboundQueries.tlsUsage(client)),
    // The permissions right after, in the same task: the list's request (or the session's, on
    // a first load) leaves first, as it takes longest, and the short read overlaps with it.
    Promise.resolve().then(() => queryClient.prefetchQuery(accountQuery(client))),
  ];
  return Promise.all(reads).then(
    () => queryClient.getQueryState(list.queryKey)?.status === "success",
  );
}

