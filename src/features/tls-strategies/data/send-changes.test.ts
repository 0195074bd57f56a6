import { type PageView, type TlsStrategyPage, pageKey, tlsStrategyQueries, STRATEGY_DEFAULTS, type TlsStrategy } from "../../../stalwart/tls-strategy";
import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, test } from "vitest";



import { reflectChange, rememberServerVersion, showRefreshed } from "./send-changes";

// A read that left before a change and lands after it must not undo the change on screen
// (README, "The page agrees with itself"): every cache write that follows a change stops the
// reads still in flight.

const strategy = (id: string, description: string | null = null): TlsStrategy => ({
  id,
  name: `name-${id}`,
  ...STRATEGY_DEFAULTS,
  description,
});
const VIEW: PageView = { page: 1, size: 25, sort: "name-asc", search: "" };
const page = (...strategies: TlsStrategy[]): TlsStrategyPage => ({
  strategies,
  position: 0,
  total: strategies.length,
});

/** A query client with `key` read once (`first`), then a second read in flight, answered by hand. */
async function withReadInFlight<T>(key: readonly unknown[], first: T) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  queryClient.setQueryData(key, first);
  let answer: (value: T) => void = () => undefined;
  const inFlight = queryClient
    .fetchQuery({
      queryKey: key,
      queryFn: () =>
        new Promise<T>((resolve) => {
          answer = resolve;
        }),
      staleTime: 0,
    })
    .catch(() => undefined);
  await Promise.resolve();
  return {
    queryClient,
    /** The old read lands now, with what the server held when it left. */
    land: async (value: T) => {
      answer(value);
      await inFlight;
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

describe("an answer that left before a change never overwrites it", () => {
  test("a list read in flight during a delete does not bring the deleted strategy back", async () => {
    const [a, b] = [strategy("a"), strategy("b")];
    const { queryClient, land } = await withReadInFlight(pageKey(VIEW), page(a, b));
    reflectChange(queryClient, { destroyed: ["b"] }, { view: VIEW, page: page(a) });
    await land(page(a, b));
    expect(queryClient.getQueryData<TlsStrategyPage>(pageKey(VIEW))).toEqual(page(a));
  });

  test("a list read in flight during a save does not revert the saved description", async () => {
    const before = strategy("a", "old");
    const after = strategy("a", "new");
    const { queryClient, land } = await withReadInFlight(pageKey(VIEW), page(before));
    reflectChange(queryClient, { updated: [after] });
    await land(page(before));
    expect(queryClient.getQueryData<TlsStrategyPage>(pageKey(VIEW))?.strategies).toEqual([after]);
  });

  test("a detail read in flight during a save does not revert the detail", async () => {
    const key = tlsStrategyQueries.detailKey("a");
    const { queryClient, land } = await withReadInFlight(key, strategy("a", "old"));
    reflectChange(queryClient, { updated: [strategy("a", "new")] });
    await land(strategy("a", "old"));
    expect(queryClient.getQueryData(key)).toEqual(strategy("a", "new"));
  });

  test("a detail read in flight during a create of the same name stays out of the name check", async () => {
    const key = tlsStrategyQueries.byNameKey("name-c");
    const { queryClient, land } = await withReadInFlight<string | null>(key, null);
    reflectChange(queryClient, { created: [strategy("c")] });
    await land(null);
    expect(queryClient.getQueryData(key)).toBe("c");
  });

  test("the page read with a failed change, and a version read for a save, are not undone either", async () => {
    const [a, b] = [strategy("a"), strategy("b")];
    const list = await withReadInFlight(pageKey(VIEW), page(a, b));
    showRefreshed(list.queryClient, { view: VIEW, page: page(a) });
    await list.land(page(a, b));
    expect(list.queryClient.getQueryData(pageKey(VIEW))).toEqual(page(a));

    const key = tlsStrategyQueries.detailKey("a");
    const detail = await withReadInFlight(key, strategy("a", "old"));
    rememberServerVersion(detail.queryClient, "a", strategy("a", "newer"));
    await detail.land(strategy("a", "old"));
    expect(detail.queryClient.getQueryData(key)).toEqual(strategy("a", "newer"));
  });
});

describe("a read stopped by a change is not left waiting", () => {
  test("a read on screen that the change did not answer is sent again; one it answered is not", async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const other: PageView = { ...VIEW, search: "other" };
    const calls = { shown: 0, answered: 0 };
    let answer: (page: TlsStrategyPage) => void = () => undefined;
    const observe = (view: PageView, counter: "shown" | "answered") =>
      new QueryObserver(queryClient, {
        queryKey: pageKey(view),
        queryFn: () => {
          calls[counter] += 1;
          return new Promise<TlsStrategyPage>((resolve) => {
            answer = resolve;
          });
        },
      }).subscribe(() => undefined);
    const stopShown = observe(other, "shown");
    const stopAnswered = observe(VIEW, "answered");
    await Promise.resolve();
    expect(calls).toEqual({ shown: 1, answered: 1 });

    reflectChange(queryClient, { destroyed: ["b"] }, { view: VIEW, page: page(strategy("a")) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The page the change brought along is the server's answer: not read again.
    expect(calls).toEqual({ shown: 2, answered: 1 });
    answer(page());
    stopShown();
    stopAnswered();
  });
});
