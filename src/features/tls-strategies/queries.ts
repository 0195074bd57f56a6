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
import type { ReloadOutcome } from "../../session/reload-settings";
import type { PageView, TlsStrategyPage } from "./cache-updates";
import type { StrategyValues } from "./changes";
import { parseListView, prefixRange, SORTS } from "./list-params";
import { type TlsStrategy, tlsStrategySchema } from "./schema";
import type { UnreadableReload } from "./send-changes";

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

export type PageQuery = PageView;

/** Every stored name by id, and for each strategy whose name looks like others', those names. */
export interface StoredNames {
  names: ReadonlyMap<string, string>;
  lookalikes: ReadonlyMap<string, string[]>;
}

/**
 * One page of the list as two calls for one request: the query and a /get of its ids by
 * result reference (shared wire reference §6–7). Always with position and calculateTotal.
 */
export function pageCalls(view: PageQuery, prefix = ""): MethodCall[] {
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
  /**
   * Every stored strategy's name (id → name), and which of them look alike
   * (name-lookalike.ts): for refusing a new look-alike name and marking stored ones in the
   * list. All of them, in as few requests as the limits allow (matching-names.ts); kept up
   * to date by this page's own changes (send-changes.ts), read again after a minute.
   */
  allNamesKey: () => ["tls-strategy-names"] as const,
  allNames: (client: JmapClient) =>
    queryOptions({
      queryKey: tlsStrategyQueries.allNamesKey(),
      queryFn: async (): Promise<StoredNames> =>
        (await import("./matching-names")).fetchStoredNames(client),
      staleTime: 60_000,
      refetchOnWindowFocus: false,
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

/** The name of a strategy as any cached list page or detail knows it. */
export const cachedName = (queryClient: QueryClient, id: string) =>
  cachedTlsStrategy(queryClient, id)?.name;

export type NewTlsStrategy = StrategyValues;

/** The strategy's kind as the server names it, in the pending list and reload errors. */
export const OBJECT = "MtaTlsStrategy";

/** The settings reload's outcome when its answer could be read, else undefined. */
export const knownReload = (reload: ReloadOutcome | UnreadableReload | undefined) =>
  reload && !("unreadable" in reload) ? reload : undefined;

/** Why a reload's answer could not be read, if it could not. */
const unreadableReason = (reload: ReloadOutcome | UnreadableReload | undefined) =>
  reload && "unreadable" in reload ? reload.unreadable : undefined;

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
        knownReload(reload),
        mark,
        unreadableReason(reload),
      ),
    savedAll: (changes: Omit<PendingChange, "object">[]) =>
      effects.savedAll(changes.map((change) => ({ object: OBJECT, ...change }))),
    notSaved: (reload: ReloadOutcome | UnreadableReload | undefined, mark: number) =>
      effects.notSaved(knownReload(reload), mark, unreadableReason(reload)),
  };
}

/** What a delete asks for (useDestroyTlsStrategies). */
export interface DestroyRequest {
  ids: string[];
  /** The names the admin saw, for the pending list; the cache fills in the others. */
  names?: ReadonlyMap<string, string>;
  refresh?: PageQuery;
  /**
   * Called after each batch of maxObjectsInSet ids is answered, with how many ids were sent
   * so far and how many in all. With a callback, each batch is a request of its own.
   */
  onProgress?: (sent: number, total: number) => void;
}

/** The code a change runs once sent (send-changes.ts), loaded on demand. */
const changeCode = () => import("./send-changes");

/** Fetches that code ahead of a change: a delete dialog opening, a form's code loading. */
export const preloadChangeCode = () => void changeCode().catch(() => undefined);

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
    mutationFn: async (request: DestroyRequest) =>
      (await changeCode()).destroyTlsStrategies(client, queryClient, effects, request),
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

const ESCAPED: Record<string, string> = { n: "\n", r: "\r", t: "\t" };

/**
 * The strategy name a rule's value gives delivery, when the value is one string literal in
 * either quote ("'default'", "\"o'brien\""), or null for anything else (a concatenation, a
 * number, a bare constant: shared expressions reference §0.1, §2.6). Escapes as Stalwart reads
 * them: the backslash is kept and the next character taken as is, n/r/t as LF/CR/TAB (§1.3).
 */
export function literalName(value: string): string | null {
  const match = /^[ \r\n]*(?:'((?:[^'\\]|\\[\s\S])*)'|"((?:[^"\\]|\\[\s\S])*)")[ \r\n]*$/.exec(
    value,
  );
  if (!match) return null;
  return (match[1] ?? match[2] ?? "").replace(
    /\\([\s\S])/g,
    (_, next: string) => `\\${ESCAPED[next] ?? next}`,
  );
}

/**
 * The names an expression's values give delivery, or null when some value is not one string
 * literal: which strategy it picks can then not be read from the text (the rules view of the
 * outbound strategy evaluates it).
 */
export function quotedNames(values: string[]): Set<string> | null {
  const names = new Set<string>();
  for (const value of values) {
    const name = literalName(value);
    if (name === null) return null;
    names.add(name);
  }
  return names;
}

/**
 * What the admin types to confirm deleting `selected` (id → name): the name of each strategy
 * the outbound strategy's `tls` rule names. When that is not known (no permission to read the
 * rule, a rule this page cannot read, not read yet), any of them may be used: the name of the
 * one strategy, or "delete N strategies" for several. Nothing for strategies known unused.
 */
export function namesToConfirm(
  selected: ReadonlyMap<string, string>,
  usage: TlsUsage | undefined,
): string[] {
  if (!usage?.isKnown) {
    if (selected.size === 1) return [...selected.values()];
    return selected.size > 1 ? [`delete ${selected.size} strategies`] : [];
  }
  return [...new Set([...selected.values()].filter((name) => usage.names.has(name)))];
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
          const names = quotedNames([...Object.values(tls.match).map((m) => m.then), tls.else]);
          if (!names)
            return {
              isKnown: false,
              reason:
                "a rule of the outbound strategy builds the strategy's name instead of naming it",
            };
          return { isKnown: true, names };
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
