import { type QueryClient, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import * as z from "zod/mini";
import {
  type JmapClient,
  type MethodCall,
  type MethodResponses,
  resultOf,
} from "../../jmap/client";
import { MethodError } from "../../jmap/errors";
import type { SetError } from "../../jmap/protocol";
import { useApply } from "../../session/apply";
import { accountQuery } from "../../session/auth";
import type { PendingChange } from "../../session/pending-changes";
import {
  type ReloadOutcome,
  readReloadOutcome,
  reloadSettingsCall,
} from "../../session/reload-settings";
import {
  type PageView,
  pageWithCreated,
  pageWithout,
  pageWithUpdated,
  type TlsStrategyPage,
} from "./cache-updates";
import { displayValue, EDITABLE, type EditableProperty, type StrategyValues } from "./changes";
import { parseListView, prefixRange, SORTS } from "./list-params";
import { FIELDS, type TlsStrategy, tlsStrategySchema } from "./schema";

export const GET = "x:MtaTlsStrategy/get";
const SET = "x:MtaTlsStrategy/set";
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

const setErrorSchema = z.looseObject({ type: z.string() }) as unknown as z.ZodMiniType<SetError>;
const setResponseSchema = z.looseObject({
  created: z.nullish(z.record(z.string(), z.looseObject({ id: z.string() }))),
  updated: z.nullish(z.record(z.string(), z.unknown())),
  destroyed: z.nullish(z.array(z.string())),
  notCreated: z.nullish(z.record(z.string(), setErrorSchema)),
  notUpdated: z.nullish(z.record(z.string(), setErrorSchema)),
  notDestroyed: z.nullish(z.record(z.string(), setErrorSchema)),
});

export type PageQuery = PageView;

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

export const pageKey = (view: PageQuery) => [
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

/** What one of this admin's changes did, as far as the cache needs to know. */
interface CacheChange {
  created?: TlsStrategy[];
  updated?: TlsStrategy[];
  /** Deleted by this admin just now. */
  destroyed?: string[];
  /** Found missing: deleted by someone, at some time. */
  gone?: string[];
}

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
 */
export function prefetchListView(queryClient: QueryClient, client: JmapClient, search: string) {
  const view = parseListView(new URLSearchParams(search));
  void queryClient.prefetchQuery(tlsStrategyQueries.list(client, view));
  void queryClient.prefetchQuery(outboundQueries.tlsUsage(client));
  // The permissions right after, in the same task: the list's request (or the session's, on a
  // first load) leaves first, as it takes longest, and the short read overlaps with it.
  queueMicrotask(() => void queryClient.prefetchQuery(accountQuery(client)));
}

/** The name of a strategy as any cached list page or detail knows it. */
export const cachedName = (queryClient: QueryClient, id: string) =>
  cachedTlsStrategy(queryClient, id)?.name;

/**
 * Makes every cached page, sort and search, every detail and every name check agree with a
 * change that succeeded, before any refetch (issue 7 §6); then marks them stale so that what
 * cannot be derived here is fetched when next shown. The list page read in the same request
 * as the change (`refreshed`) is the server's own answer and goes in last.
 */
export function reflectChange(
  queryClient: QueryClient,
  change: CacheChange,
  refreshed?: { view: PageView; page: TlsStrategyPage },
  { refetch = true }: { refetch?: boolean } = {},
) {
  const named = (ids: string[] = []) =>
    ids.map((id) => ({ id, name: cachedName(queryClient, id) }));
  const destroyed = named(change.destroyed);
  const gone = named(change.gone);
  const updated = new Map((change.updated ?? []).map((s) => [s.id, s]));
  for (const [key, page] of queryClient.getQueriesData<TlsStrategyPage>({
    queryKey: tlsStrategyQueries.lists(),
  })) {
    const view = key[2] as PageView | undefined;
    if (!page || !view) continue;
    let next = pageWithout(page, view, destroyed, change.gone);
    next = pageWithUpdated(next, updated);
    for (const strategy of change.created ?? []) next = pageWithCreated(next, view, strategy);
    if (next !== page) queryClient.setQueryData(key, next);
  }
  for (const { id, name } of [...destroyed, ...gone]) {
    queryClient.setQueryData(tlsStrategyQueries.detailKey(id), null);
    if (name !== undefined) queryClient.setQueryData(tlsStrategyQueries.byNameKey(name), null);
  }
  for (const strategy of [...(change.created ?? []), ...updated.values()]) {
    queryClient.setQueryData(tlsStrategyQueries.detailKey(strategy.id), strategy);
    queryClient.setQueryData(tlsStrategyQueries.byNameKey(strategy.name), strategy.id);
  }
  // Stale, not refetched now: the page shown next comes along with the change.
  if (refetch) {
    void queryClient.invalidateQueries({
      queryKey: tlsStrategyQueries.all(),
      refetchType: refreshed ? "none" : "active",
    });
  }
  if (refreshed) queryClient.setQueryData(pageKey(refreshed.view), refreshed.page);
}

/**
 * Shows a version of a strategy just read from the server (null: it is gone) on every cached
 * list page and detail, so what the page knows agrees everywhere.
 */
export function rememberServerVersion(
  queryClient: QueryClient,
  id: string,
  strategy: TlsStrategy | null,
) {
  reflectChange(queryClient, strategy ? { updated: [strategy] } : { gone: [id] }, undefined, {
    refetch: false,
  });
}

/** One /set call's answer: its result, or the method error that refused the whole call. */
type SetAnswer = { result: z.infer<typeof setResponseSchema> } | { error: MethodError };

function readSet(responses: MethodResponses, callId: string): SetAnswer {
  try {
    return { result: responses.get(callId, setResponseSchema) };
  } catch (error) {
    if (error instanceof MethodError) return { error };
    throw error;
  }
}

/** A reload whose answer could not be read: it may or may not have run. */
export interface UnreadableReload {
  unreadable: unknown;
}

/**
 * Runs /set calls and, in the same request, re-reads the list page the user will see next,
 * so a change costs one HTTP request and the list is fresh without another. With `apply`, a
 * settings reload rides in the same request after the /set (shared wire reference §11); it
 * runs even when the /set failed, so each answer is read on its own.
 */
export async function setThenRefresh(
  client: JmapClient,
  sets: Record<string, unknown>[],
  refresh: PageQuery | undefined,
  apply = false,
  /**
   * `oneCallPerRequest`: each /set in a request of its own, so `onAnswered` can report
   * progress between them (a bulk delete); otherwise as few requests as maxCallsInRequest
   * allows. `onAnswered(count)`: how many /set calls have been answered so far.
   */
  options: { oneCallPerRequest?: boolean; onAnswered?: (count: number) => void } = {},
) {
  const { maxCallsInRequest } = await client.session();
  const tail = [
    ...(refresh ? pageCalls(refresh, "r") : []),
    ...(apply ? [reloadSettingsCall()] : []),
  ];
  const perRequest = options.oneCallPerRequest ? 1 : Math.max(1, maxCallsInRequest - tail.length);
  const answers: SetAnswer[] = [];
  let responses: MethodResponses | undefined;
  // Normally one request; only more /set calls than a request may hold take several.
  for (let start = 0; start < sets.length; start += perRequest) {
    const chunk = sets.slice(start, start + perRequest);
    const isLast = start + perRequest >= sets.length;
    const calls: MethodCall[] = chunk.map((args, index) => ({ id: `s${index}`, name: SET, args }));
    responses = await client.call(isLast ? [...calls, ...tail] : calls);
    const answered = responses;
    answers.push(...chunk.map((_, index) => readSet(answered, `s${index}`)));
    options.onAnswered?.(answers.length);
  }
  let refreshed: { view: PageView; page: TlsStrategyPage } | undefined;
  if (refresh && responses) {
    try {
      refreshed = { view: refresh, page: readPage(responses, "r") };
    } catch {
      // The change went through; the page is fetched on its own when shown.
    }
  }
  let reload: ReloadOutcome | UnreadableReload | undefined;
  if (apply && responses) {
    try {
      reload = readReloadOutcome(responses);
    } catch (error) {
      reload = { unreadable: error };
    }
  }
  return { answers, refreshed, reload };
}

export type NewTlsStrategy = StrategyValues;

/** The strategy's kind as the server names it, in the pending list and reload errors. */
export const OBJECT = "MtaTlsStrategy";

/** A value in the pending list: a description in quotes, so it reads apart from the label. */
export function pendingValue(property: EditableProperty, value: unknown): string {
  const shown = displayValue(property, value);
  return property === "description" && value !== null ? `“${shown}”` : shown;
}

/** A strategy's values in words, kept with a creation or deletion in the pending list. */
export function valuesInWords(strategy: StrategyValues) {
  return EDITABLE.map((property) => ({
    property,
    label: FIELDS[property].label,
    value: pendingValue(property, strategy[property]),
  }));
}

/**
 * What every change does once the server answered: a saved change joins the list of changes
 * not applied yet (shared wire reference §11), and a reload that rode along is settled —
 * applied, it clears what was pending when it was sent, this change included; refused, the
 * list stays and the reason is shown.
 */
export function useChangeEffects(client: JmapClient) {
  const { forSave } = useApply();
  const effects = forSave(client);
  return {
    mark: (apply: boolean) => (apply ? effects.mark() : Promise.resolve(0)),
    saved: (
      change: Omit<PendingChange, "object">,
      reload: ReloadOutcome | UnreadableReload | undefined,
      mark: number,
    ) =>
      effects.saved(
        { object: OBJECT, ...change },
        reload && "unreadable" in reload ? undefined : reload,
        mark,
        reload && "unreadable" in reload ? reload.unreadable : undefined,
      ),
    savedAll: (changes: Omit<PendingChange, "object">[]) =>
      effects.savedAll(changes.map((change) => ({ object: OBJECT, ...change }))),
    notSaved: (reload: ReloadOutcome | UnreadableReload | undefined, mark: number) =>
      effects.notSaved(
        reload && "unreadable" in reload ? undefined : reload,
        mark,
        reload && "unreadable" in reload ? reload.unreadable : undefined,
      ),
  };
}

export interface DestroyOutcome {
  destroyed: string[];
  failed: { id: string; error: SetError }[];
}

/**
 * Destroys any number of strategies: one /set per `maxObjectsInSet` ids (shared wire
 * reference §5), in one request, or with `onProgress` one request per /set; each item
 * succeeds or fails on its own.
 */
export function useDestroyTlsStrategies(client: JmapClient) {
  const queryClient = useQueryClient();
  const effects = useChangeEffects(client);
  return useMutation({
    mutationFn: async ({
      ids,
      names = new Map(),
      refresh,
      onProgress,
    }: {
      ids: string[];
      /** The names the admin saw, for the pending list; the cache fills in the others. */
      names?: ReadonlyMap<string, string>;
      refresh?: PageQuery;
      /**
       * Called after each batch of maxObjectsInSet ids is answered, with how many ids were
       * sent so far and how many in all. With a callback, each batch is a request of its own.
       */
      onProgress?: (sent: number, total: number) => void;
    }): Promise<DestroyOutcome> => {
      const { maxObjectsInSet } = await client.session();
      const batches: Record<string, unknown>[] = [];
      for (let start = 0; start < ids.length; start += maxObjectsInSet) {
        batches.push({ destroy: ids.slice(start, start + maxObjectsInSet) });
      }
      const before = new Map(ids.map((id) => [id, cachedTlsStrategy(queryClient, id)]));
      const { answers, refreshed } = await setThenRefresh(client, batches, refresh, false, {
        oneCallPerRequest: onProgress !== undefined,
        onAnswered: (count) =>
          onProgress?.(Math.min(ids.length, count * maxObjectsInSet), ids.length),
      });
      const results = answers.flatMap((answer) => ("result" in answer ? [answer.result] : []));
      const refusal = answers.find((answer) => "error" in answer);
      const destroyed = new Set(results.flatMap((result) => result.destroyed ?? []));
      const notDestroyed: Record<string, SetError> = Object.assign(
        {},
        ...results.map((result) => result.notDestroyed ?? {}),
      );
      // Gone is gone, whoever deleted it: a strategy the server no longer has leaves the cache.
      reflectChange(
        queryClient,
        {
          destroyed: ids.filter((id) => destroyed.has(id)),
          gone: ids.filter((id) => notDestroyed[id]?.type === "notFound"),
        },
        refreshed,
      );
      await effects.savedAll(
        ids
          .filter((id) => destroyed.has(id))
          .map((id) => {
            const strategy = before.get(id);
            return {
              id,
              name: names.get(id) ?? strategy?.name ?? id,
              kind: "deleted" as const,
              changes: [],
              values: strategy ? valuesInWords(strategy) : undefined,
            };
          }),
      );
      if (destroyed.size === 0 && refusal && "error" in refusal) throw refusal.error;
      const refusedError = refusal && "error" in refusal ? refusal.error : undefined;
      return {
        destroyed: ids.filter((id) => destroyed.has(id)),
        failed: ids
          .filter((id) => !destroyed.has(id))
          .map((id) => ({
            id,
            error:
              notDestroyed[id] ??
              (refusedError
                ? { type: refusedError.type, description: refusedError.description }
                : { type: "serverFail" }),
          })),
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
