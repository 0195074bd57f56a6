import type { SortKey } from "../../../stalwart/tls-strategy";

// The list's view (page, page size, sort, search) lives in the query string, so reload,
// Back/Forward and shared links restore it. Defaults are left out of the URL.

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 25;

/** The sorts the server can do (stalwart/tls-strategy.ts), as the list names them. */
export const SORTS: Record<SortKey, { label: string }> = {
  "name-asc": { label: "Name (A→Z)" },
  "name-desc": { label: "Name (Z→A)" },
  newest: { label: "Newest first" },
  oldest: { label: "Oldest first" },
};
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
