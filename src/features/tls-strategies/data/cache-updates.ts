import type { PageView, TlsStrategy, TlsStrategyPage } from "../../../stalwart/tls-strategy";

// After this admin's own create, update or delete succeeds, every list page the cache holds
// (any page, sort or search) shows it at once, before any refetch: a strategy just deleted is
// never a live link on another cached page, and an updated one never shows old values
// (README, "The page agrees with itself"). Pages are still marked stale, so what cannot be
// known here (rows moving between pages) is fetched when the page is shown again.

/**
 * Byte-wise UTF-8 order, which is the server's order for names (shared wire reference §6):
 * code point by code point (JavaScript's own `<` compares UTF-16 units, which differs once
 * a character above U+FFFF meets one from U+E000 up).
 */
export function compareNames(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const difference = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return x.length - y.length;
}

/** Whether `name` is among the names a search for `prefix` finds. */
export const matchesSearch = (name: string, prefix: string) => name.startsWith(prefix);

/**
 * `page` without strategies that no longer exist. Those this admin `destroyed` just now were
 * counted in every page fetched before, so the total drops for each one the search finds.
 * Those found `gone` (deleted by someone else at some time) drop the total only where they
 * still showed: a page fetched after their deletion never counted them.
 */
export function pageWithout(
  page: TlsStrategyPage,
  view: PageView,
  destroyed: readonly { id: string; name: string | undefined }[],
  gone: readonly string[] = [],
): TlsStrategyPage {
  const ids = new Set([...destroyed.map((d) => d.id), ...gone]);
  const strategies = page.strategies.filter((s) => !ids.has(s.id));
  const onPage = page.strategies.length - strategies.length;
  // A name that is unknown here counts only if it was on this page.
  const elsewhere = destroyed.filter(
    (d) =>
      d.name !== undefined &&
      matchesSearch(d.name, view.search) &&
      !page.strategies.some((s) => s.id === d.id),
  ).length;
  if (onPage === 0 && elsewhere === 0) return page;
  return { ...page, strategies, total: Math.max(0, page.total - onPage - elsewhere) };
}

/** `page` with the new values of strategies just updated (names never change, nor order). */
export function pageWithUpdated(
  page: TlsStrategyPage,
  updated: ReadonlyMap<string, TlsStrategy>,
): TlsStrategyPage {
  if (!page.strategies.some((s) => updated.has(s.id))) return page;
  return { ...page, strategies: page.strategies.map((s) => updated.get(s.id) ?? s) };
}

/**
 * `page` with a strategy just created, where its place can be known from this page alone:
 * between its first and last name (or before the first on page 1, after the last on the last
 * page) for a name sort; at the top of page 1 for newest first; at the end of a last page
 * with room for oldest first. The total grows on every page whose search finds the name.
 */
export function pageWithCreated(
  page: TlsStrategyPage,
  view: PageView,
  created: TlsStrategy,
): TlsStrategyPage {
  if (!matchesSearch(created.name, view.search)) return page;
  if (page.strategies.some((s) => s.id === created.id)) return page;
  const rows = page.strategies;
  const isFirstPage = page.position === 0;
  const isLastPage = page.position + rows.length >= page.total;
  let index = -1;
  if (view.sort === "name-asc" || view.sort === "name-desc") {
    const direction = view.sort === "name-asc" ? 1 : -1;
    const order = (s: TlsStrategy) => direction * compareNames(created.name, s.name);
    const first = rows[0];
    const last = rows[rows.length - 1];
    const isAfterFirst = first === undefined ? isFirstPage : order(first) > 0 || isFirstPage;
    const isBeforeLast = last === undefined ? isLastPage : order(last) < 0 || isLastPage;
    if (isAfterFirst && isBeforeLast) {
      index = rows.findIndex((s) => order(s) < 0);
      if (index < 0) index = rows.length;
    }
  } else if (view.sort === "newest") {
    if (isFirstPage) index = 0;
  } else if (isLastPage && rows.length < view.size) {
    index = rows.length;
  }
  const total = page.total + 1;
  if (index < 0) return { ...page, total };
  const strategies = [...rows.slice(0, index), created, ...rows.slice(index)].slice(0, view.size);
  return { ...page, strategies, total };
}
