import { type MethodCall, resultOf } from "../../../jmap/wire";
import * as z from "zod/mini";
import { type JmapClient } from "../../../jmap/client";
import {
  GET,
  type PageView,
  prefixRange,
  QUERY,
  queryResponseSchema,
  SORT_COMPARATORS,
} from "../../../stalwart/tls-strategy";

// "Select all N strategies that match", and every stored name (stored-names.ts): loaded when
// the page asks for them, not with the list.

const nameListSchema = z.looseObject({
  list: z.array(z.looseObject({ id: z.string(), name: z.string() })),
});

/**
 * The id and name of every strategy a search matches, in the list's order (shared wire
 * reference §6–7): queries of maxObjectsInGet ids, each with a /get of their names by result
 * reference, as many pairs per request as maxCallsInRequest allows, until a query comes back
 * short. A snapshot: strategies created or deleted meanwhile may be missed or gone.
 * Rejects like client.call (transport, 401, method errors).
 */
export async function fetchMatchingNames(
  client: JmapClient,
  view: Pick<PageView, "search" | "sort">,
): Promise<Map<string, string>> {
  const { maxObjectsInGet, maxCallsInRequest } = await client.session();
  const pairsPerRequest = Math.max(1, Math.floor(maxCallsInRequest / 2));
  const names = new Map<string, string>();
  for (let position = 0; ; ) {
    const calls: MethodCall[] = [];
    for (let pair = 0; pair < pairsPerRequest; pair += 1) {
      const query = {
        id: `q${pair}`,
        name: QUERY,
        args: {
          ...(view.search === "" ? {} : { filter: prefixRange(view.search) }),
          sort: [SORT_COMPARATORS[view.sort]],
          position: position + pair * maxObjectsInGet,
          limit: maxObjectsInGet,
        },
      };
      calls.push(query, {
        id: `g${pair}`,
        name: GET,
        args: { "#ids": resultOf(query, "/ids"), properties: ["id", "name"] },
      });
    }
    const responses = await client.call(calls);
    for (let pair = 0; pair < pairsPerRequest; pair += 1) {
      const { ids } = responses.get(`q${pair}`, queryResponseSchema);
      const { list } = responses.get(`g${pair}`, nameListSchema);
      const byId = new Map(list.map((entry) => [entry.id, entry.name]));
      for (const id of ids) {
        const name = byId.get(id);
        if (name !== undefined) names.set(id, name);
      }
      if (ids.length < maxObjectsInGet) return names;
    }
    position += pairsPerRequest * maxObjectsInGet;
  }
}
