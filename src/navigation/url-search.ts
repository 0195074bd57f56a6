import { useMemo } from "react";
import { useSearch as useRawSearch } from "wouter/use-browser-location";

// The query string is decoded exactly once, by URLSearchParams. wouter's own `useSearch` and
// `useSearchParams` run `decodeURI` over it first, so a search for "x%50" (sent as
// `?q=x%2550`) came back as "xP" after a reload or Back: nothing here uses them (the
// architecture test checks it).

/** The address bar's query string as it is, with its "?" ("" when there is none). */
export function useUrlSearch(): string {
  return useRawSearch();
}

/** The address bar's query string, decoded once. */
export function useUrlSearchParams(): URLSearchParams {
  const search = useRawSearch();
  return useMemo(() => new URLSearchParams(search), [search]);
}

/**
 * Where a sign-in may lead: a path of this page's own origin, or `fallback`. `next` is parsed
 * as the browser would parse it (WHATWG URL, against `origin`), so `/\evil.example/` and
 * `/<TAB>/evil.example/`, which a browser reads as `//evil.example/`, are refused like
 * `//evil.example/` and `https://evil.example/`. The result is always absolute
 * (path, query and fragment), never a URL of another origin.
 */
export function sameOriginPath(next: string | null, origin: string, fallback: string): string {
  if (next === null || next === "") return fallback;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  return url.pathname + url.search + url.hash;
}
