import { queryOptions } from "@tanstack/react-query";
import type { JmapClient } from "../jmap/client";
import { pageCalls, readPage, type TlsStrategy } from "./tls-strategy";

// Every stored x:MtaTlsStrategy, whole: the rows of the destination test's outcome table.
// Its own module, beside tls-strategy.ts, because a module of the list's first download
// shares all its code with the chunks that import it: here it loads only with the test.

/**
 * Every stored strategy, whole, sorted by name (shared wire reference §6–7): queries of
 * maxObjectsInGet ids, each with a /get by result reference, as many pairs per request as
 * maxCallsInRequest allows, until a query comes back short (bounded by the total: each
 * round moves on by what it asked for). A snapshot. Rejects like client.call.
 */
export async function fetchAllTlsStrategies(client: JmapClient): Promise<TlsStrategy[]> {
  const { maxObjectsInGet, maxCallsInRequest } = await client.session();
  const pairs = Math.max(1, Math.floor(maxCallsInRequest / 2));
  const all: TlsStrategy[] = [];
  for (let position = 0; ; position += pairs * maxObjectsInGet) {
    const calls = Array.from({ length: pairs }, (_, pair) =>
      pageCalls({ page: 1, size: maxObjectsInGet, sort: "name-asc", search: "" }, `${pair}`).map(
        (call, index) =>
          index === 0
            ? { ...call, args: { ...call.args, position: position + pair * maxObjectsInGet } }
            : call,
      ),
    ).flat();
    const responses = await client.call(calls);
    for (let pair = 0; pair < pairs; pair += 1) {
      const page = readPage(responses, `${pair}`);
      all.push(...page.strategies);
      if (page.position + maxObjectsInGet >= page.total || page.strategies.length < maxObjectsInGet)
        return all;
    }
  }
}

/**
 * Every strategy, whole (fetchAllTlsStrategies): the destination test's rows.
 */
export const allTlsStrategiesQuery = (client: JmapClient) =>
  queryOptions({
    queryKey: ["tls-strategies", "everything"],
    queryFn: () => fetchAllTlsStrategies(client),
    staleTime: 30_000,
  });
