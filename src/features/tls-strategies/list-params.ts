// The list's view (page, page size, sort, search) lives in the query string, so reload,
// Back/Forward and shared links restore it. Defaults are left out of the URL.

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 25;

/** Only `id` and `name` sort on the server (shared wire reference §6); id order is creation order. */
export const SORTS = {
  "name-asc": { label: "Name (A→Z)", comparator: { property: "name", isAscending: true } },
  "name-desc": { label: "Name (Z→A)", comparator: { property: "name", isAscending: false } },
  newest: { label: "Newest first", comparator: { property: "id", isAscending: false } },
  oldest: { label: "Oldest first", comparator: { property: "id", isAscending: true } },
} as const;
export type SortKey = keyof typeof SORTS;
export const DEFAULT_SORT: SortKey = "name-asc";

export interface ListView {
  /** 1-based */
  page: number;
  size: PageSize;
  sort: SortKey;
  search: string;
}

export function parseListView(params: URLSearchParams): ListView {
  const page = Number(params.get("page"));
  const size = Number(params.get("size"));
  const sort = params.get("sort");
  return {
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? (size as PageSize) : DEFAULT_PAGE_SIZE,
    sort: sort !== null && sort in SORTS ? (sort as SortKey) : DEFAULT_SORT,
    // Spaces at either end are never searched for (a pasted "default " finds "default").
    search: (params.get("q") ?? "").trim(),
  };
}

export function listSearch(view: ListView): string {
  const params = new URLSearchParams();
  if (view.search !== "") params.set("q", view.search);
  if (view.sort !== DEFAULT_SORT) params.set("sort", view.sort);
  if (view.size !== DEFAULT_PAGE_SIZE) params.set("size", String(view.size));
  if (view.page !== 1) params.set("page", String(view.page));
  const search = params.toString();
  return search === "" ? "" : `?${search}`;
}

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
