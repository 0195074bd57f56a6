import { type MethodCall, type MethodResponses } from "../../../jmap/wire";
import {
  type DestroyOutcome,
  type DestroyRequest,
  STORED_NAMES_KEY,
  type StoredNames,
  type UnreadableReload,
} from "./change-types";
import type { ChangeEffects } from "./change-effects";
import { type PageView, type TlsStrategyPage, cachedName, cachedTlsStrategy, pageCalls, pageKey, readPage, SET, tlsStrategyQueries, type TlsStrategy } from "../../../stalwart/tls-strategy";
import type { QueryClient } from "@tanstack/react-query";
import * as z from "zod/mini";
import type { JmapClient } from "../../../jmap/client";
import { MethodError } from "../../../jmap/errors";
import type { SetError } from "../../../jmap/protocol";
import { writeAfterChange } from "../../../jmap/query-cache";
import {
  type ReloadOutcome,
  readReloadOutcome,
  reloadSettingsCall,
} from "../../../stalwart/reload-settings";
import { pageWithCreated, pageWithout, pageWithUpdated } from "./cache-updates";
import { displayValue, EDITABLE, type EditableProperty, type StrategyValues } from "../model/changes";
import { lookalikeGroups } from "../model/name-lookalike";

import { FIELDS } from "../model/fields";

// What a change runs once it is sent: the /set calls, reading their answers, and making
// every cached page agree with them. Only a change needs it, so it loads when a form's code
// or a delete dialog does, not with the list (docs/decisions/first-paint-and-opening.md);
// queries.ts keeps the hooks.

const setErrorSchema = z.looseObject({ type: z.string() }) as unknown as z.ZodMiniType<SetError>;
const setResponseSchema = z.looseObject({
  created: z.nullish(z.record(z.string(), z.looseObject({ id: z.string() }))),
  updated: z.nullish(z.record(z.string(), z.unknown())),
  destroyed: z.nullish(z.array(z.string())),
  notCreated: z.nullish(z.record(z.string(), setErrorSchema)),
  notUpdated: z.nullish(z.record(z.string(), setErrorSchema)),
  notDestroyed: z.nullish(z.record(z.string(), setErrorSchema)),
});

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
 * Makes every cached page, sort and search, every detail and every name check agree with a
 * change that succeeded, before any refetch (README, "The page agrees with itself"); then
 * marks them stale so that what cannot be derived here is fetched when next shown. The list
 * page read in the same request as the change (`refreshed`) is the server's own answer and
 * goes in last.
 */
export function reflectChange(
  queryClient: QueryClient,
  change: CacheChange,
  refreshed?: { view: PageView; page: TlsStrategyPage },
  { refetch = true }: { refetch?: boolean } = {},
) {
  writeAfterChange(queryClient, CHANGE_KEYS, () =>
    writeChange(queryClient, change, refreshed, refetch),
  );
}

/** What a change of strategies makes stale: every read of strategies (lists, details, names). */
const CHANGE_KEYS = [tlsStrategyQueries.all(), STORED_NAMES_KEY];

function writeChange(
  queryClient: QueryClient,
  change: CacheChange,
  refreshed: { view: PageView; page: TlsStrategyPage } | undefined,
  refetch: boolean,
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
  // Every name, and which look alike: what this change added and removed, without a refetch.
  queryClient.setQueryData<StoredNames>(STORED_NAMES_KEY, (stored) => {
    if (!stored) return stored;
    const names = new Map(stored.names);
    for (const { id } of [...destroyed, ...gone]) names.delete(id);
    for (const strategy of change.created ?? []) names.set(strategy.id, strategy.name);
    return { names, lookalikes: lookalikeGroups(names) };
  });
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
 * The list page read in the same request as a change that failed: what the server holds now,
 * written after stopping the reads that left before it.
 */
export function showRefreshed(
  queryClient: QueryClient,
  refreshed: { view: PageView; page: TlsStrategyPage } | undefined,
) {
  if (!refreshed) return;
  writeAfterChange(queryClient, CHANGE_KEYS, () =>
    queryClient.setQueryData(pageKey(refreshed.view), refreshed.page),
  );
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


/**
 * Runs /set calls and, in the same request, re-reads the list page the user will see next,
 * so a change costs one HTTP request and the list is fresh without another. With `apply`, a
 * settings reload rides in the same request after the /set (shared wire reference §11); it
 * runs even when the /set failed, so each answer is read on its own.
 */
export async function setThenRefresh(
  client: JmapClient,
  sets: Record<string, unknown>[],
  refresh: PageView | undefined,
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
 * Destroys any number of strategies: one /set per `maxObjectsInSet` ids (shared wire
 * reference §5), in one request, or with `onProgress` one request per /set; each item
 * succeeds or fails on its own. Throws the method error when no strategy was destroyed and a
 * whole /set was refused; transport errors as JmapClient.call.
 */
export async function destroyTlsStrategies(
  client: JmapClient,
  queryClient: QueryClient,
  effects: ChangeEffects,
  { ids, names = new Map(), refresh, onProgress }: DestroyRequest,
): Promise<DestroyOutcome> {
  const { maxObjectsInSet } = await client.session();
  const batches: Record<string, unknown>[] = [];
  for (let start = 0; start < ids.length; start += maxObjectsInSet) {
    batches.push({ destroy: ids.slice(start, start + maxObjectsInSet) });
  }
  const before = new Map(ids.map((id) => [id, cachedTlsStrategy(queryClient, id)]));
  const { answers, refreshed } = await setThenRefresh(client, batches, refresh, false, {
    oneCallPerRequest: onProgress !== undefined,
    onAnswered: (count) => onProgress?.(Math.min(ids.length, count * maxObjectsInSet), ids.length),
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
}
