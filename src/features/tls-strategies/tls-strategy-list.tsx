import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Notice } from "../../components/notice";
import { QuotedName, revealHidden, ShownText } from "../../components/shown-text";
import { describeError } from "../../jmap/describe-error";
import { TLS_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import { useAnnouncements } from "../../session/announcements";
import { useApply } from "../../session/apply";
import { useJmapClient, useWithReauthentication } from "../../session/auth";
import { useWorkInProgress } from "../../session/navigation-guard";
import { usePendingChanges } from "../../session/pending-changes";
import { usePermissions } from "../../session/permissions";
import { formatDuration } from "./duration";
import { rememberListView } from "./last-list-view";
import {
  type ListView,
  listSearch,
  PAGE_SIZES,
  type PageSize,
  parseListView,
  SORTS,
  type SortKey,
} from "./list-params";
import { CREATE_PATH, duplicatePath, editPath, LIST_PATH } from "./paths";
import {
  type DestroyOutcome,
  OBJECT,
  outboundQueries,
  tlsStrategyQueries,
  useDestroyTlsStrategies,
} from "./queries";
import {
  FIELDS,
  POLICY_LABELS,
  STRATEGY_DEFAULTS,
  type TlsStrategy,
  type TlsStrategyProperty,
} from "./schema";

const SECURITY_SETTINGS = [
  "startTls",
  "dane",
  "mtaSts",
  "allowInvalidCerts",
  "tlsTimeout",
  "mtaStsTimeout",
] as const satisfies readonly TlsStrategyProperty[];

/** The settings of a strategy that are not Stalwart's defaults. */
function differencesFromDefaults(strategy: TlsStrategy): string[] {
  return SECURITY_SETTINGS.filter((key) => strategy[key] !== STRATEGY_DEFAULTS[key]).map(
    (key) => FIELDS[key].label,
  );
}

const SEARCH_DEBOUNCE_MS = 300;
const numbers = new Intl.NumberFormat("en");

function PolicyCell({ value }: { value: TlsStrategy["dane"] }) {
  return <span className={`badge badge-${value}`}>{POLICY_LABELS[value]}</span>;
}

/** The list's view, read from and written to the query string. */
function useListView(): [
  ListView,
  (next: Partial<ListView>, options?: { replace?: boolean }) => void,
] {
  const search = useSearch();
  const [, navigate] = useLocation();
  const view = parseListView(new URLSearchParams(search));
  useEffect(() => rememberListView(search === "" ? "" : `?${search}`), [search]);
  const setView = (next: Partial<ListView>, options: { replace?: boolean } = {}) => {
    navigate(LIST_PATH + listSearch({ ...view, ...next }), { replace: options.replace ?? false });
  };
  return [view, setView];
}

function describeDestroyFailure(error: { type: string; description?: string }): string {
  if (error.type === "notFound") return "it no longer exists (someone may have deleted it already)";
  if (error.type === "forbidden") return "you are not allowed to delete it";
  return error.description ?? error.type;
}

export function TlsStrategyList() {
  const permissions = usePermissions();
  if (!permissions.canView) {
    return (
      <section className="placeholder">
        <title>Not allowed · TLS Strategies · Stalwart</title>
        <h2>You may not view TLS strategies</h2>
        <p>
          Your account needs the “sysMtaTlsStrategyGet” and “sysMtaTlsStrategyQuery” permissions to
          see this page. Ask an administrator to grant them.
        </p>
      </section>
    );
  }
  return <StrategyList />;
}

function StrategyList() {
  const client = useJmapClient();
  const permissions = usePermissions();
  const withReauthentication = useWithReauthentication();
  const usage = useQuery(outboundQueries.tlsUsage(client)).data;
  const pending = usePendingChanges();
  const notApplied = new Set(
    pending.filter((change) => change.object === OBJECT).map((change) => change.id),
  );
  const reload = useApply();
  const [view, setView] = useListView();
  const list = useQuery({
    ...tlsStrategyQueries.list(client, view),
    placeholderData: keepPreviousData,
  });
  const destroy = useDestroyTlsStrategies(client);

  const [searchText, setSearchText] = useState(view.search);
  const [selected, setSelected] = useState<Map<string, string>>(() => new Map());
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);
  const { announce, clear: clearAnnouncement } = useAnnouncements();

  // Back/Forward or a shared link changes the search: show it in the box.
  const lastUrlSearch = useRef(view.search);
  useEffect(() => {
    if (view.search !== lastUrlSearch.current) {
      lastUrlSearch.current = view.search;
      setSearchText(view.search);
    }
  }, [view.search]);

  // Typing searches after a pause; each keystroke does not become a request.
  const setViewRef = useRef(setView);
  setViewRef.current = setView;
  useEffect(() => {
    if (searchText === view.search) return;
    const timer = setTimeout(() => {
      lastUrlSearch.current = searchText;
      setViewRef.current({ search: searchText, page: 1 }, { replace: true });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [searchText, view.search]);

  // A selection, or a search typed but not yet run, is work an expired sign-in must not end.
  useWorkInProgress(selected.size > 0 || searchText !== view.search);

  const data = list.data;
  const pageCount = data ? Math.max(1, Math.ceil(data.total / view.size)) : 1;

  // A page past the end (an old link, or rows deleted meanwhile) falls back to the last page.
  useEffect(() => {
    if (
      data &&
      !list.isPlaceholderData &&
      data.total > 0 &&
      data.strategies.length === 0 &&
      view.page > 1
    ) {
      setView({ page: pageCount }, { replace: true });
    }
  });

  const clearSearch = () => {
    setSearchText("");
    lastUrlSearch.current = "";
    setView({ search: "", page: 1 }, { replace: true });
  };

  const pageIds = data?.strategies.map((s) => s.id) ?? [];
  const selectedOnPage = pageIds.filter((id) => selected.has(id)).length;
  const isPageSelected = pageIds.length > 0 && selectedOnPage === pageIds.length;

  const toggle = (strategy: TlsStrategy) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(strategy.id)) next.delete(strategy.id);
      else next.set(strategy.id, strategy.name);
      return next;
    });

  const togglePage = () =>
    setSelected((current) => {
      const next = new Map(current);
      for (const strategy of data?.strategies ?? []) {
        if (isPageSelected) next.delete(strategy.id);
        else next.set(strategy.id, strategy.name);
      }
      return next;
    });

  const confirmDelete = () => {
    const names = new Map(selected);
    void withReauthentication(() =>
      destroy.mutateAsync({ ids: [...names.keys()], names, refresh: view }),
    )
      .then((result) => {
        announce(<DestroyReport outcome={result} names={names} />);
        // What the server reports gone leaves the selection; what it refused stays, to retry.
        setSelected(
          new Map(
            result.failed
              .filter(({ error }) => error.type !== "notFound")
              .map(({ id }) => [id, names.get(id) ?? id]),
          ),
        );
        setIsConfirmingDelete(false);
      })
      .catch(() => undefined);
  };

  const first = data ? data.position + 1 : 0;
  const last = data ? data.position + data.strategies.length : 0;
  const pageHref = (page: number) => LIST_PATH + listSearch({ ...view, page });

  return (
    <section aria-labelledby="list-heading">
      <title>
        {view.page > 1
          ? `TLS Strategies (page ${view.page}) · Stalwart`
          : "TLS Strategies · Stalwart"}
      </title>
      <div className="toolbar">
        <div>
          <h2 id="list-heading">Strategies</h2>
          <p className="subtitle">Manage TLS strategies for message delivery.</p>
        </div>
        {permissions.canCreate ? (
          <Link href={CREATE_PATH} className="button button-primary">
            Create strategy
          </Link>
        ) : null}
      </div>

      <div className="list-controls">
        <div className="field field-inline">
          <label htmlFor="strategy-search">Search by name</label>
          <input
            id="strategy-search"
            type="search"
            value={searchText}
            placeholder="Name starts with…"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="strategy-search-help"
            onChange={(event) => setSearchText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape") {
                event.preventDefault();
                clearSearch();
              }
            }}
          />
          <p id="strategy-search-help" className="field-help">
            Finds names that start with what you type (case-sensitive). Escape clears.
          </p>
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
        <button
          type="button"
          className="button"
          onClick={() => list.refetch()}
          disabled={list.isFetching}
        >
          {list.isFetching && !list.isPending ? "Refreshing…" : "Refresh"}
        </button>
        {permissions.canReloadSettings ? (
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
      {permissions.canReloadSettings ? (
        <p id="reload-settings-help" className="field-help">
          Stalwart delivers with saved changes only once its settings are reloaded. Reload settings
          applies every saved change, including those made by other admins or tools, which this page
          cannot list.
        </p>
      ) : null}

      {list.isPending ? (
        <p role="status" className="placeholder">
          Loading TLS strategies…
        </p>
      ) : list.isError && !data ? (
        <Notice tone="error">
          <p>
            Could not load the TLS strategies.{" "}
            {describeError(list.error, { permission: TLS_STRATEGY_PERMISSIONS.query })}
          </p>
          <button type="button" className="button" onClick={() => list.refetch()}>
            Try again
          </button>
        </Notice>
      ) : !data ? null : data.total === 0 && view.search !== "" ? (
        <div className="placeholder">
          <p>
            No strategy name starts with “<ShownText text={view.search} />
            ”.
          </p>
          <button type="button" className="button" onClick={clearSearch}>
            Clear search
          </button>
        </div>
      ) : data.total === 0 ? (
        <div className="placeholder">
          <p>
            There are no TLS strategies yet. Outbound delivery uses Stalwart's built-in defaults.
          </p>
          {permissions.canCreate ? <Link href={CREATE_PATH}>Create the first strategy</Link> : null}
        </div>
      ) : (
        <>
          {usage && !usage.isKnown ? (
            <p className="muted">
              Which strategies the outbound strategy uses is unknown: {usage.reason}.
            </p>
          ) : null}
          {list.isError ? (
            <Notice tone="error">
              Could not refresh the list: {describeError(list.error)} The rows below may be out of
              date.
            </Notice>
          ) : null}
          <div className="selection-bar">
            <p className="count" aria-live="polite">
              {data.strategies.length > 0
                ? `Showing ${numbers.format(first)}–${numbers.format(last)} of ${numbers.format(data.total)} ${
                    data.total === 1 ? "strategy" : "strategies"
                  }`
                : `${numbers.format(data.total)} strategies`}
            </p>
            {permissions.canDestroy ? (
              <button
                type="button"
                className="button button-danger"
                disabled={selected.size === 0}
                onClick={() => {
                  destroy.reset();
                  clearAnnouncement();
                  setIsConfirmingDelete(true);
                }}
              >
                Delete selected ({selected.size})
              </button>
            ) : null}
          </div>
          {/* Scrolls sideways on narrow screens; its links keep it reachable by keyboard. */}
          <div className="table-scroll" aria-busy={list.isFetching}>
            <table>
              <thead>
                <tr>
                  {permissions.canDestroy ? (
                    <th scope="col" className="select-cell">
                      <input
                        type="checkbox"
                        aria-label="Select all strategies on this page"
                        checked={isPageSelected}
                        ref={(input) => {
                          if (input) input.indeterminate = selectedOnPage > 0 && !isPageSelected;
                        }}
                        onChange={togglePage}
                      />
                    </th>
                  ) : null}
                  <th scope="col">{FIELDS.name.label}</th>
                  <th scope="col">{FIELDS.description.label}</th>
                  <th scope="col">{FIELDS.startTls.label}</th>
                  <th scope="col">{FIELDS.dane.label}</th>
                  <th scope="col">{FIELDS.mtaSts.label}</th>
                  <th scope="col">{FIELDS.allowInvalidCerts.label}</th>
                  <th scope="col">{FIELDS.tlsTimeout.label}</th>
                  <th scope="col">{FIELDS.mtaStsTimeout.label}</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.strategies.map((strategy) => (
                  <tr key={strategy.id}>
                    {permissions.canDestroy ? (
                      <td className="select-cell">
                        <input
                          type="checkbox"
                          aria-label={`Select ${revealHidden(strategy.name)}`}
                          checked={selected.has(strategy.id)}
                          onChange={() => toggle(strategy)}
                        />
                      </td>
                    ) : null}
                    <th scope="row">
                      <Link href={editPath(strategy.id)}>
                        <ShownText text={strategy.name} />
                      </Link>
                      <StrategyMarks
                        strategy={strategy}
                        isUsed={usage?.isKnown === true && usage.names.has(strategy.name)}
                        isNotApplied={notApplied.has(strategy.id)}
                      />
                    </th>
                    <td>
                      {strategy.description === null ? (
                        <span className="muted">—</span>
                      ) : (
                        <ShownText text={strategy.description} kind="text" />
                      )}
                    </td>
                    <td>
                      <PolicyCell value={strategy.startTls} />
                    </td>
                    <td>
                      <PolicyCell value={strategy.dane} />
                    </td>
                    <td>
                      <PolicyCell value={strategy.mtaSts} />
                    </td>
                    <td>
                      {strategy.allowInvalidCerts ? (
                        <span className="badge badge-warning">Yes</span>
                      ) : (
                        "No"
                      )}
                    </td>
                    <td>{formatDuration(strategy.tlsTimeout)}</td>
                    <td>{formatDuration(strategy.mtaStsTimeout)}</td>
                    <td>
                      {permissions.canCreate ? (
                        <Link
                          href={duplicatePath(strategy.id)}
                          aria-label={`Duplicate ${revealHidden(strategy.name)}`}
                        >
                          Duplicate
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Pagination" className="pagination">
            <PageLink href={pageHref(1)} isDisabled={view.page <= 1} label="First page" />
            <PageLink
              href={pageHref(view.page - 1)}
              isDisabled={view.page <= 1}
              label="Previous page"
            />
            <span className="page-of">
              Page {numbers.format(Math.min(view.page, pageCount))} of {numbers.format(pageCount)}
            </span>
            <PageLink
              href={pageHref(view.page + 1)}
              isDisabled={view.page >= pageCount}
              label="Next page"
            />
            <PageLink
              href={pageHref(pageCount)}
              isDisabled={view.page >= pageCount}
              label="Last page"
            />
          </nav>
        </>
      )}

      <ConfirmDialog
        isOpen={isConfirmingDelete}
        title={`Delete ${selected.size} ${selected.size === 1 ? "strategy" : "strategies"}?`}
        confirmLabel="Delete"
        pendingLabel="Deleting…"
        isPending={destroy.isPending}
        error={
          destroy.isError
            ? describeError(destroy.error, { permission: TLS_STRATEGY_PERMISSIONS.destroy })
            : null
        }
        onCancel={() => setIsConfirmingDelete(false)}
        onConfirm={confirmDelete}
      >
        <p>
          These TLS strategies will be deleted. Delivery rules that pick one by name fall back to
          Stalwart's built-in TLS defaults. This cannot be undone.
        </p>
        <ul className="name-list">
          {[...selected].map(([id, name]) => (
            <li key={id}>
              <ShownText text={name} />
            </li>
          ))}
        </ul>
        {[...selected.values()].some((name) => usage?.isKnown && usage.names.has(name)) ? (
          <p className="finding finding-warning">
            <strong>Warning: </strong>the outbound strategy picks{" "}
            {[...selected.values()]
              .filter((name) => usage?.isKnown && usage.names.has(name))
              .map((name, index) => (
                <span key={name}>
                  {index > 0 ? ", " : ""}
                  <QuotedName name={name} />
                </span>
              ))}{" "}
            by name. Once deleted, delivery that would use them silently falls back to Stalwart's
            built-in TLS defaults.
          </p>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}

function StrategyMarks({
  strategy,
  isUsed,
  isNotApplied,
}: {
  strategy: TlsStrategy;
  isUsed: boolean;
  isNotApplied: boolean;
}) {
  const differences = differencesFromDefaults(strategy);
  if (!isUsed && !isNotApplied && differences.length === 0) return null;
  return (
    <span className="marks">
      {isNotApplied ? <span className="badge badge-pending">Not applied yet</span> : null}
      {isUsed ? <span className="badge badge-used">Used by the outbound strategy</span> : null}
      {differences.length > 0 ? (
        <span className="badge badge-custom">Differs from defaults: {differences.join(", ")}</span>
      ) : null}
    </span>
  );
}

function PageLink({
  href,
  isDisabled,
  label,
}: {
  href: string;
  isDisabled: boolean;
  label: string;
}) {
  if (isDisabled) {
    return (
      <button type="button" className="button" disabled>
        {label}
      </button>
    );
  }
  return (
    <Link href={href} className="button">
      {label}
    </Link>
  );
}

function DestroyReport({
  outcome,
  names,
}: {
  outcome: DestroyOutcome;
  names: Map<string, string>;
}) {
  const deleted = outcome.destroyed.length;
  return (
    <>
      {deleted > 0 ? (
        <Notice tone="success">
          Deleted{" "}
          {deleted === 1 ? (
            <QuotedName name={names.get(outcome.destroyed[0] ?? "") ?? ""} />
          ) : (
            `${deleted} strategies`
          )}
          .
        </Notice>
      ) : null}
      {outcome.failed.length > 0 ? (
        <Notice tone="error">
          <p>
            {outcome.failed.length === 1
              ? "One strategy was"
              : `${outcome.failed.length} strategies were`}{" "}
            not deleted:
          </p>
          <ul>
            {outcome.failed.map(({ id, error }) => (
              <li key={id}>
                <QuotedName name={names.get(id) ?? id} />: {describeDestroyFailure(error)}.
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
    </>
  );
}
