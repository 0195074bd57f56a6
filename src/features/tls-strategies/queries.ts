import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { type JmapClient, type MethodCall, resultOf } from "../../jmap/client";
import { SetObjectError } from "../../jmap/errors";
import type { SetError } from "../../jmap/protocol";
import { type TlsStrategy, type TlsStrategyPatch, tlsStrategySchema } from "./schema";

const GET = "x:MtaTlsStrategy/get";
const SET = "x:MtaTlsStrategy/set";
const QUERY = "x:MtaTlsStrategy/query";

const queryResponseSchema = z.looseObject({
  ids: z.array(z.string()),
  position: z.number().int(),
  total: z.number().int().optional(),
});

const getResponseSchema = z.looseObject({
  list: z.array(tlsStrategySchema),
  notFound: z.array(z.string()).nullish(),
});

const setErrorSchema = z.looseObject({ type: z.string() }) as z.ZodType<SetError>;
const setResponseSchema = z.looseObject({
  created: z.record(z.string(), z.looseObject({ id: z.string() })).nullish(),
  updated: z.record(z.string(), z.unknown()).nullish(),
  destroyed: z.array(z.string()).nullish(),
  notCreated: z.record(z.string(), setErrorSchema).nullish(),
  notUpdated: z.record(z.string(), setErrorSchema).nullish(),
  notDestroyed: z.record(z.string(), setErrorSchema).nullish(),
});

export interface TlsStrategyListParams {
  position: number;
  limit: number;
}

export interface TlsStrategyPage {
  strategies: TlsStrategy[];
  position: number;
  total: number;
}

export const tlsStrategyQueries = {
  all: () => ["tls-strategies"] as const,
  lists: () => [...tlsStrategyQueries.all(), "list"] as const,
  list: (client: JmapClient, params: TlsStrategyListParams) =>
    queryOptions({
      queryKey: [...tlsStrategyQueries.lists(), params],
      queryFn: async (): Promise<TlsStrategyPage> => {
        // One round trip: the query and a /get of its ids by result reference
        // (shared wire reference §6–7). Always send position and calculateTotal.
        const query = {
          id: "q",
          name: QUERY,
          args: {
            sort: [{ property: "name", isAscending: true }],
            position: params.position,
            limit: params.limit,
            calculateTotal: true,
          },
        } satisfies MethodCall;
        const responses = await client.call([
          query,
          { id: "g", name: GET, args: { "#ids": resultOf(query, "/ids") } },
        ]);
        const result = responses.get("q", queryResponseSchema);
        const { list } = responses.get("g", getResponseSchema);
        const byId = new Map(list.map((strategy) => [strategy.id, strategy]));
        return {
          // /get answers in request order, but a strategy deleted between the two calls is
          // simply missing; keep the query's order and skip the gaps.
          strategies: result.ids.flatMap((id) => byId.get(id) ?? []),
          position: result.position,
          total: result.total ?? list.length,
        };
      },
    }),
  details: () => [...tlsStrategyQueries.all(), "detail"] as const,
  detail: (client: JmapClient, id: string) =>
    queryOptions({
      queryKey: [...tlsStrategyQueries.details(), id],
      queryFn: async (): Promise<TlsStrategy | null> => {
        const responses = await client.call([{ id: "g", name: GET, args: { ids: [id] } }]);
        return responses.get("g", getResponseSchema).list.find((s) => s.id === id) ?? null;
      },
    }),
};

export type NewTlsStrategy = Omit<TlsStrategy, "id">;

async function set(client: JmapClient, args: Record<string, unknown>) {
  const responses = await client.call([{ id: "s", name: SET, args }]);
  return responses.get("s", setResponseSchema);
}

export function useCreateTlsStrategy(client: JmapClient) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (strategy: NewTlsStrategy): Promise<string> => {
      const result = await set(client, { create: { new: strategy } });
      const created = result.created?.new;
      if (created) return created.id;
      throw new SetObjectError(result.notCreated?.new ?? { type: "serverFail" }, "create", "new");
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tlsStrategyQueries.lists() }),
  });
}

export function useUpdateTlsStrategy(client: JmapClient) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, patch }: { id: string; patch: TlsStrategyPatch }): Promise<void> => {
      const result = await set(client, { update: { [id]: patch } });
      if (result.updated && id in result.updated) return;
      throw new SetObjectError(result.notUpdated?.[id] ?? { type: "serverFail" }, "update", id);
    },
    onSuccess: (_data, { id }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: tlsStrategyQueries.lists() }),
        queryClient.invalidateQueries({ queryKey: tlsStrategyQueries.detail(client, id).queryKey }),
      ]),
  });
}

export function useDestroyTlsStrategy(client: JmapClient) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string): Promise<void> => {
      const result = await set(client, { destroy: [id] });
      if (result.destroyed?.includes(id)) return;
      throw new SetObjectError(result.notDestroyed?.[id] ?? { type: "serverFail" }, "destroy", id);
    },
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: tlsStrategyQueries.detail(client, id).queryKey });
      return queryClient.invalidateQueries({ queryKey: tlsStrategyQueries.lists() });
    },
  });
}
