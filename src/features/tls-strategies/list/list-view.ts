import { useEffect, useRef, useState } from "react";
import { useLocation } from "wouter";
import { useUrlSearch } from "../../../navigation/url-search";
import { LIST_PATH } from "../../../paths";
import { rememberListView } from "../data/last-list-view";
import { type ListView, listSearch, parseListView } from "../model/list-params";

// The list's view lives in the query string (model/list-params.ts); the search box types
// ahead of it and searches after a pause.

const SEARCH_DEBOUNCE_MS = 300;

/** The list's view, read from and written to the query string. */
export function useListView(): [
  ListView,
  (next: Partial<ListView>, options?: { replace?: boolean }) => void,
] {
  const search = useUrlSearch();
  const [, navigate] = useLocation();
  const view = parseListView(new URLSearchParams(search));
  useEffect(() => rememberListView(search), [search]);
  const setView = (next: Partial<ListView>, options: { replace?: boolean } = {}) => {
    navigate(LIST_PATH + listSearch({ ...view, ...next }), { replace: options.replace ?? false });
  };
  return [view, setView];
}

/**
 * The search box's text, which runs as the view's search after SEARCH_DEBOUNCE_MS (each
 * keystroke does not become a request), and follows the view when Back/Forward or a shared
 * link changes it. `current()` is the search the list shows now.
 */
export function useSearchBox(view: ListView, setView: ReturnType<typeof useListView>[1]) {
  const [searchText, setSearchText] = useState(view.search);
  // Back/Forward or a shared link changes the search: show it in the box.
  const lastUrlSearch = useRef(view.search);
  useEffect(() => {
    if (view.search !== lastUrlSearch.current) {
      lastUrlSearch.current = view.search;
      setSearchText(view.search);
    }
  }, [view.search]);
  const setViewRef = useRef(setView);
  setViewRef.current = setView;
  // Spaces at either end are not searched for: a pasted "default " still finds "default".
  const wantedSearch = searchText.trim();
  useEffect(() => {
    if (wantedSearch === view.search) return;
    const timer = setTimeout(() => {
      lastUrlSearch.current = wantedSearch;
      setViewRef.current({ search: wantedSearch, page: 1 }, { replace: true });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [wantedSearch, view.search]);
  const clear = () => {
    setSearchText("");
    lastUrlSearch.current = "";
    setView({ search: "", page: 1 }, { replace: true });
  };
  return {
    searchText,
    setSearchText,
    clear,
    /** A search typed but not yet run. */
    isPending: wantedSearch !== view.search,
    current: () => lastUrlSearch.current,
  };
}

/**
 * False until the rows have been on screen a moment and the browser is idle: for what the
 * list reads or loads in the background (never before its first paint).
 */
export function useIsSettled(): boolean {
  const [isSettled, setIsSettled] = useState(false);
  useEffect(() => {
    let idle = 0;
    const timer = setTimeout(() => {
      idle = window.requestIdleCallback?.(() => setIsSettled(true), { timeout: 3_000 }) ?? 0;
      if (!idle) setIsSettled(true);
    }, 1_500);
    return () => {
      clearTimeout(timer);
      if (idle) window.cancelIdleCallback(idle);
    };
  }, []);
  return isSettled;
}
