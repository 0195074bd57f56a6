import { type QueryClient, queryOptions } from "@tanstack/react-query";
import * as z from "zod/mini";
import type { JmapClient } from "../jmap/client";
import { type MtaTlsStrategy, TLS_POLICIES, TLS_STRATEGY_DEFAULTS } from "../jmap/protocol";
import { type MethodCall, type MethodResponses, resultOf } from "../jmap/wire";

// x:MtaTlsStrategy as the page reads it (shared wire reference §3–§7): the object's schema,
// its calls, the list page in one request, and the queryOptions factories whose keys every
// cache write of the page uses. No hooks, no UI: the features build on it.

// Shared wire reference §3: what the server sends. Parsed inside query functions, so a
// malformed answer becomes an ordinary query error instead of a broken page.
export const tlsPolicySchema = z.enum(TLS_POLICIES);

const milliseconds = z.int().check(z.positive());

export const tlsStrategySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.nullable(z.string()),
  allowInvalidCerts: z.boolean(),
  dane: tlsPolicySchema,
  mtaSts: tlsPolicySchema,
  startTls: tlsPolicySchema,
  mtaStsTimeout: milliseconds,
  tlsTimeout: milliseconds,
}) satisfies z.ZodMiniType<MtaTlsStrategy>;

export type TlsStrategy = z.infer<typeof tlsStrategySchema>;
export type TlsStrategyProperty = Exclude<keyof TlsStrategy, "id">;

/** The server's defaults (shared wire reference §3), applied by it on create. */
export const STRATEGY_DEFAULTS = TLS_STRATEGY_DEFAULTS;

/** Only `id` and `name` sort on the server (shared wire reference §6); id order is creation order. */
export const SORT_COMPARATORS = {
  "name-asc": { property: "name", isAscending: true },
  "name-desc": { property: "name", isAscending: false },
  newest: { property: "id", isAscending: false },
  oldest: { property: "id", isAscending: true },
} as const;
export type SortKey = keyof typeof SORT_COMPARATORS;

/** Which page of the list: 1-based page, rows per page, sort and name prefix. */
export interface PageView {
  page: number;
  size: number;
  sort: SortKey;
  search: string;
}

/** One page of the list as the server answered it. */
export interface TlsStrategyPage {
  strategies: TlsStrategy[];
  /** 0-based index of the first row */
  position: number;
  total: number;
}

export const GET = "x:MtaTlsStrategy/get";
export const SET = "x:MtaTlsStrategy/set";
export const QUERY = "x:MtaTlsStrategy/query";

export const queryResponseSchema = z.looseObject({
  ids: z.array(z.string()),
  position: z.int(),
  total: z.optional(z.int()),
});

const getResponseSchema = z.looseObject({
  list: z.array(tlsStrategySchema),
  notFound: z.nullish(z.array(z.string())),
});

/**
 * One page of the list as two calls for one request: the query and a /get of its ids by
 * result reference (shared wire reference §6–7). Always with position and calculateTotal.
 */
export function pageCalls(view: PageView, prefix = ""): MethodCall[] {
  const query = {
    id: `${prefix}q`,
    name: QUERY,
    args: {
      ...(view.search === "" ? {} : { filter: prefixRange(view.search) }),
      sort: [SORT_COMPARATORS[view.sort]],
      position: (view.page - 1) * view.size,
      limit: view.size,
      calculateTotal: true,
    },
  };
  return [query, { id: `${prefix}g`, name: GET, args: { "#ids": resultOf(query, "/ids") } }];
}

export function readPage(responses: MethodResponses, prefix = ""): TlsStrategyPage {
  const result = responses.get(`${prefix}q`, queryResponseSchema);
  const { list } = responses.get(`${prefix}g`, getResponseSchema);
  const byId = new Map(list.map((strategy) => [strategy.id, strategy]));
  return {
    // A strategy deleted between the two calls is simply missing: keep the query's order.
    strategies: result.ids.flatMap((id) => byId.get(id) ?? []),
    position: result.position,
    total: result.total ?? list.length,
  };
}

export const pageKey = (view: PageView) => [
  "tls-strategies",
  "list",
  { page: view.page, size: view.size, sort: view.sort, search: view.search },
];

/** One strategy as the server holds it now, or null if it does not exist (any more). */
export async function fetchTlsStrategy(
  client: JmapClient,
  id: string,
): Promise<TlsStrategy | null> {
  const responses = await client.call([{ id: "g", name: GET, args: { ids: [id] } }]);
  return responses.get("g", getResponseSchema).list.find((s) => s.id === id) ?? null;
}

export const tlsStrategyQueries = {
  all: () => ["tls-strategies"] as const,
  lists: () => ["tls-strategies", "list"] as const,
  list: (client: JmapClient, view: PageView) =>
    queryOptions({
      queryKey: pageKey(view),
      queryFn: async () => readPage(await client.call(pageCalls(view))),
    }),
  byNameKey: (name: string) => ["tls-strategies", "by-name", name],
  /** The id of the strategy with exactly this name, or null (shared wire reference §6). */
  byName: (client: JmapClient, name: string) =>
    queryOptions({
      queryKey: tlsStrategyQueries.byNameKey(name),
      queryFn: async (): Promise<string | null> => {
        const responses = await client.call([
          {
            id: "q",
            name: QUERY,
            args: { filter: { name }, position: 0, limit: 1, calculateTotal: true },
          },
        ]);
        return responses.get("q", queryResponseSchema).ids[0] ?? null;
      },
      staleTime: 5_000,
    }),
  detailKey: (id: string) => ["tls-strategies", "detail", id],
  detail: (client: JmapClient, id: string) =>
    queryOptions({
      queryKey: tlsStrategyQueries.detailKey(id),
      queryFn: () => fetchTlsStrategy(client, id),
    }),
};

/**
 * The strategy as this page last read it (a detail, or a row of any cached list page), or
 * undefined: also what the edit form opens with while its fresh read is on the way.
 */
export function cachedTlsStrategy(queryClient: QueryClient, id: string): TlsStrategy | undefined {
  const detail = queryClient.getQueryData<TlsStrategy | null>(tlsStrategyQueries.detailKey(id));
  if (detail) return detail;
  for (const [, page] of queryClient.getQueriesData<TlsStrategyPage>({
    queryKey: tlsStrategyQueries.lists(),
  })) {
    const found = page?.strategies.find((s) => s.id === id);
    if (found) return found;
  }
  return undefined;
}

/** The name of a strategy as any cached list page or detail knows it. */
export const cachedName = (queryClient: QueryClient, id: string) =>
  cachedTlsStrategy(queryClient, id)?.name;

/** The strategy's kind as the server names it, in the pending list and reload errors. */
export const OBJECT = "MtaTlsStrategy";

const MAX_CODE_POINT = 0x10ffff;

/**
 * The name range that holds exactly the names starting with `prefix`, for the server's
 * byte-wise `nameIsGreaterThanOrEqual` / `nameIsLessThan` filters (shared wire reference §6;
 * its `name` filter only matches whole names). UTF-8 byte order is code-point order, so the
 * upper bound is the prefix with its last code point raised by one; a last code point that
 * cannot be raised is dropped and the one before it raised instead. A prefix of nothing but
 * U+10FFFF has no upper bound.
 */
export function prefixRange(prefix: string): {
  nameIsGreaterThanOrEqual: string;
  nameIsLessThan?: string;
} {
  const codePoints = Array.from(prefix, (char) => char.codePointAt(0) ?? 0);
  while (codePoints.length > 0) {
    const last = codePoints.pop() as number;
    if (last < MAX_CODE_POINT) {
      // Surrogates are not characters; the next one after U+D7FF is U+E000.
      const next = last === 0xd7ff ? 0xe000 : last + 1;
      return {
        nameIsGreaterThanOrEqual: prefix,
        nameIsLessThan: String.fromCodePoint(...codePoints, next),
      };
    }
  }
  return { nameIsGreaterThanOrEqual: prefix };
}
