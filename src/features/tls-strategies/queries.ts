import { type QueryClient, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import * as z from "zod/mini";
import {
  type JmapClient,
  type MethodCall,
  type MethodResponses,
  resultOf,
} from "../../jmap/client";
import { MethodError, SetObjectError } from "../../jmap/errors";
import type { SetError } from "../../jmap/protocol";
import type { TlsStrategyPatch } from "./form-schema";
import { type ListView, prefixRange, SORTS } from "./list-params";
import { type TlsStrategy, tlsStrategySchema } from "./schema";

const GET = "x:MtaTlsStrategy/get";
const SET = "x:MtaTlsStrategy/set";
const QUERY = "x:MtaTlsStrategy/query";

const queryResponseSchema = z.looseObject({
  ids: z.array(z.string()),
  position: z.int(),
  total: z.optional(z.int()),
});

const getResponseSchema = z.looseObject({
  list: z.array(tlsStrategySchema),
  notFound: z.nullish(z.array(z.string())),
});

const setErrorSchema = z.looseObject({ type: z.string() }) as unknown as z.ZodMiniType<SetError>;
const setResponseSchema = z.looseObject({
  created: z.nullish(z.record(z.string(), z.looseObject({ id: z.string() }))),
  updated: z.nullish(z.record(z.string(), z.unknown())),
  destroyed: z.nullish(z.array(z.string())),
  notCreated: z.nullish(z.record(z.string(), setErrorSchema)),
  notUpdated: z.nullish(z.record(z.string(), setErrorSchema)),
  notDestroyed: z.nullish(z.record(z.string(), setErrorSchema)),
});

export interface TlsStrategyPage {
  strategies: TlsStrategy[];
  /** 0-based index of the first row */
  position: number;
  total: number;
}

type PageQuery = Pick<ListView, "page" | "size" | "sort" | "search">;

/**
 * One page of the list as two calls for one request: the query and a /get of its ids by
 * result reference (shared wire reference §6–7). Always with position and calculateTotal.
 */
function pageCalls(view: PageQuery, prefix = ""): MethodCall[] {
  const query = {
    id: `${prefix}q`,
    name: QUERY,
    args: {
      ...(view.search === "" ? {} : { filter: prefixRange(view.search) }),
      sort: [SORTS[view.sort].comparator],
      position: (view.page - 1) * view.size,
      limit: view.size,
      calculateTotal: true,
    },
  };
  return [query, { id: `${prefix}g`, name: GET, args: { "#ids": resultOf(query, "/ids") } }];
}

function readPage(responses: MethodResponses, prefix = ""): TlsStrategyPage {
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

const pageKey = (view: PageQuery) => [
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
  list: (client: JmapClient, view: PageQuery) =>
    queryOptions({
      queryKey: pageKey(view),
      queryFn: async () => readPage(await client.call(pageCalls(view))),
    }),
  /** The id of the strategy with exactly this name, or null (shared wire reference §6). */
  byName: (client: JmapClient, name: string) =>
    queryOptions({
      queryKey: ["tls-strategies", "by-name", name],
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
  detail: (client: JmapClient, id: string) =>
    queryOptions({
      queryKey: ["tls-strategies", "detail", id],
      queryFn: () => fetchTlsStrategy(client, id),
    }),
};

/**
 * Runs a /set and, in the same request, re-reads the list page the user will see next, so
 * a change costs one HTTP request and the list is fresh without another.
 */
async function setThenRefresh(
  client: JmapClient,
  queryClient: QueryClient,
  sets: Record<string, unknown>[],
  refresh: PageQuery | undefined,
) {
  const { maxCallsInRequest } = await client.session();
  const refreshCalls = refresh ? pageCalls(refresh, "r") : [];
  const perRequest = Math.max(1, maxCallsInRequest - refreshCalls.length);
  const results: z.infer<typeof setResponseSchema>[] = [];
  let responses: MethodResponses | undefined;
  // Normally one request; only more /set calls than a request may hold take several.
  for (let start = 0; start < sets.length; start += perRequest) {
    const chunk = sets.slice(start, start + perRequest);
    const isLast = start + perRequest >= sets.length;
    const calls: MethodCall[] = chunk.map((args, index) => ({ id: `s${index}`, name: SET, args }));
    responses = await client.call(isLast ? [...calls, ...refreshCalls] : calls);
    const answered = responses;
    results.push(...chunk.map((_, index) => answered.get(`s${index}`, setResponseSchema)));
  }
  // Mark every list and detail stale without refetching: the page shown next comes along.
  await queryClient.invalidateQueries({
    queryKey: tlsStrategyQueries.all(),
    refetchType: refresh ? "none" : "active",
  });
  if (refresh && responses) {
    try {
      queryClient.setQueryData(pageKey(refresh), readPage(responses, "r"));
    } catch {
      await queryClient.refetchQueries({ queryKey: pageKey(refresh), type: "active" });
    }
  }
  return results;
}

export type NewTlsStrategy = Omit<TlsStrategy, "id">;

export function useCreateTlsStrategy(client: JmapClient) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      strategy,
      refresh,
    }: {
      strategy: NewTlsStrategy;
      refresh?: PageQuery;
    }) => {
      const [result] = await setThenRefresh(
        client,
        queryClient,
        [{ create: { new: strategy } }],
        refresh,
      );
      const created = result?.created?.new;
      if (created) return created.id;
      throw new SetObjectError(result?.notCreated?.new ?? { type: "serverFail" }, "create", "new");
    },
  });
}

export function useUpdateTlsStrategy(client: JmapClient) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      id,
      patch,
      refresh,
    }: {
      id: string;
      patch: TlsStrategyPatch;
      refresh?: PageQuery;
    }) => {
      const [result] = await setThenRefresh(
        client,
        queryClient,
        [{ update: { [id]: patch } }],
        refresh,
      );
      if (result?.updated && id in result.updated) return;
      throw new SetObjectError(result?.notUpdated?.[id] ?? { type: "serverFail" }, "update", id);
    },
  });
}

export interface DestroyOutcome {
  destroyed: string[];
  failed: { id: string; error: SetError }[];
}

/**
 * Destroys any number of strategies in one request: one /set per `maxObjectsInSet` ids
 * (shared wire reference §5), each item succeeding or failing on its own.
 */
export function useDestroyTlsStrategies(client: JmapClient) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      ids,
      refresh,
    }: {
      ids: string[];
      refresh?: PageQuery;
    }): Promise<DestroyOutcome> => {
      const { maxObjectsInSet } = await client.session();
      const batches: Record<string, unknown>[] = [];
      for (let start = 0; start < ids.length; start += maxObjectsInSet) {
        batches.push({ destroy: ids.slice(start, start + maxObjectsInSet) });
      }
      const results = await setThenRefresh(client, queryClient, batches, refresh);
      const destroyed = new Set(results.flatMap((result) => result.destroyed ?? []));
      const notDestroyed = Object.assign({}, ...results.map((result) => result.notDestroyed ?? {}));
      queryClient.removeQueries({
        predicate: ({ queryKey }) => queryKey[1] === "detail" && destroyed.has(String(queryKey[2])),
      });
      return {
        destroyed: ids.filter((id) => destroyed.has(id)),
        failed: ids
          .filter((id) => !destroyed.has(id))
          .map((id) => ({ id, error: notDestroyed[id] ?? { type: "serverFail" } })),
      };
    },
  });
}

// --- Where a strategy is used (shared wire reference §10) -----------------------------------

const expressionSchema = z.looseObject({
  match: z.catch(z.record(z.string(), z.looseObject({ then: z.catch(z.string(), "") })), {}),
  else: z.catch(z.string(), ""),
});
const outboundSchema = z.looseObject({
  list: z.array(z.looseObject({ id: z.string(), tls: z.optional(expressionSchema) })),
});

export type TlsUsage =
  | { isKnown: true; names: ReadonlySet<string> }
  | { isKnown: false; reason: string };

/** The names quoted as string literals in an expression's values ("'default'" → default). */
export function quotedNames(values: string[]): Set<string> {
  const names = new Set<string>();
  for (const value of values) {
    for (const match of value.matchAll(/'((?:[^'\\]|\\.)*)'/g)) {
      names.add((match[1] ?? "").replace(/\\(.)/g, "$1"));
    }
  }
  return names;
}

export const outboundQueries = {
  tlsUsage: (client: JmapClient) =>
    queryOptions({
      queryKey: ["outbound-strategy", "tls-usage"],
      queryFn: async (): Promise<TlsUsage> => {
        const responses = await client.call([
          {
            id: "o",
            name: "x:MtaOutboundStrategy/get",
            args: { ids: ["singleton"], properties: ["tls"] },
          },
        ]);
        try {
          const tls = responses.get("o", outboundSchema).list[0]?.tls;
          if (!tls)
            return { isKnown: false, reason: "The server did not send the outbound strategy." };
          // Delivery picks the strategy a value names; conditions (`if`) are not names.
          return {
            isKnown: true,
            names: quotedNames([...Object.values(tls.match).map((m) => m.then), tls.else]),
          };
        } catch (error) {
          if (error instanceof MethodError) {
            return {
              isKnown: false,
              reason:
                error.type === "forbidden"
                  ? "your account may not read the outbound strategy (sysMtaOutboundStrategyGet)"
                  : `the server could not read the outbound strategy (${error.type})`,
            };
          }
          throw error;
        }
      },
      staleTime: 60_000,
    }),
};
