import type { UseQueryResult } from "@tanstack/react-query";
import { useApply } from "../../../pending-apply/apply";
import type { SortKey, TlsStrategyPage } from "../../../stalwart/tls-strategy";
import { type ListView, PAGE_SIZES, type PageSize, SORTS } from "../model/list-params";

// What sits above the rows: search by name, sort, rows per page, Refresh and Reload settings,
// and what they do in words.

/** The list's controls; the search box's text is the list's (it searches after a pause). */
export function ListControls({
  searchText,
  onSearchText,
  onClear,
  view,
  setView,
  list,
  canReloadSettings,
}: {
  searchText: string;
  onSearchText: (text: string) => void;
  /** Escape in the search box: the whole list again. */
  onClear: () => void;
  view: ListView;
  setView: (next: Partial<ListView>) => void;
  list: Pick<UseQueryResult<TlsStrategyPage>, "isFetching" | "isPending" | "refetch">;
  canReloadSettings: boolean;
}) {
  const reload = useApply();
  return (
    <>
      <div className="list-controls">
        <div className="field field-inline field-search">
          <label htmlFor="strategy-search">Search by name</label>
          <input
            id="strategy-search"
            type="search"
            value={searchText}
            placeholder="Name starts with…"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="strategy-search-help"
            onChange={(event) => onSearchText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape") {
                event.preventDefault();
                onClear();
              }
            }}
          />
        </div>
        <div className="field field-inline">
          <label htmlFor="strategy-sort">Sort by</label>
          <select
            id="strategy-sort"
            value={view.sort}
            onChange={(event) => setView({ sort: event.target.value as SortKey, page: 1 })}
          >
            {Object.entries(SORTS).map(([key, sort]) => (
              <option key={key} value={key}>
                {sort.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor="strategy-page-size">Rows per page</label>
          <select
            id="strategy-page-size"
            value={view.size}
            onChange={(event) => setView({ size: Number(event.target.value) as PageSize, page: 1 })}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </div>
        <div className="list-buttons">
          <button
            type="button"
            className="button refresh-button"
            onClick={() => list.refetch()}
            disabled={list.isFetching}
          >
            {list.isFetching && !list.isPending ? "Refreshing…" : "Refresh"}
          </button>
          {canReloadSettings ? (
            <button
              type="button"
              className="button"
              aria-describedby="reload-settings-help"
              onClick={() => void reload.apply()}
              disabled={reload.isApplying}
            >
              {reload.isApplying ? "Reloading…" : "Reload settings"}
            </button>
          ) : null}
        </div>
      </div>
      <p id="strategy-search-help" className="field-help list-help">
        Search finds names that start with what you type (case-sensitive; spaces at either end are
        ignored); Escape clears it.
        {canReloadSettings ? (
          <span id="reload-settings-help">
            {" "}
            Stalwart delivers with saved changes only once its settings are reloaded: Reload
            settings applies every saved change, including those made by other admins or tools,
            which this page cannot list.
          </span>
        ) : null}
      </p>
    </>
  );
}
