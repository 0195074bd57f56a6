import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type FocusEvent,
  type ReactNode,
  Suspense,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { Link, useLocation } from "wouter";
import { describeError } from "../../components/describe-error";
import { Notice } from "../../components/notice";
import { preloadable, preloadedComponent } from "../../components/preloadable";
import { revealHidden, ShownText, shownText } from "../../components/shown-text";
import { ViewHeader } from "../../components/view-heading";
import { TLS_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import { useApply } from "../../session/apply";
import { useJmapClient } from "../../session/auth";
import { followInAppLink } from "../../session/in-app-link";
import { useWorkInProgress } from "../../session/navigation-guard";
import { usePendingChanges } from "../../session/pending-changes";
import { usePermissions } from "../../session/permissions";
import { useUrlSearch } from "../../session/url-search";
import { numbers, strategies } from "./counts";
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
import { createPage, editPage } from "./pages";
import { CREATE_PATH, duplicatePath, editPath, LIST_PATH } from "./paths";
import { OBJECT, outboundQueries, prefetchTlsStrategy, tlsStrategyQueries } from "./queries";
import { useEditPageRehearsal } from "./rehearsal";
import {
  FIELDS,
  POLICY_LABELS,
  STRATEGY_DEFAULTS,
  type TlsStrategy,
  type TlsStrategyProperty,
} from "./schema";
import { NOTHING_SELECTED, type Selection } from "./selection";

const SECURITY_SETTINGS = [
  "startTls",
  "dane",
  "mtaSts",
  "allowInvalidCerts",
  "tlsTimeout",
  "mtaStsTimeout",
] as const satisfies readonly TlsStrategyProperty[];

/** The settings of a strategy that are not Stalwart's defaults, in the list's order. */
function differingSettings(strategy: TlsStrategy): (typeof SECURITY_SETTINGS)[number][] {
  return SECURITY_SETTINGS.filter((key) => strategy[key] !== STRATEGY_DEFAULTS[key]);
}

const SEARCH_DEBOUNCE_MS = 300;

/** A policy as a badge; a function, not a component: one fewer fiber in each of many cells. */
const policyBadge = (value: TlsStrategy["dane"]) => (
  <span className={`badge badge-${value}`}>{POLICY_LABELS[value]}</span>
);

/** The list's view, read from and written to the query string. */
function useListView(): [
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

const LIST_TITLE = "TLS Strategies";

/** The heading of every state of the list, with what it is about and Create strategy. */
function ListHeader({ canCreate }: { canCreate: boolean }) {
  return (
    <ViewHeader
      subtitle="How Stalwart secures outbound delivery: STARTTLS, DANE, MTA-STS, certificates and timeouts."
      actions={
        canCreate ? (
          <Link href={CREATE_PATH} className="button button-primary">
            Create strategy
          </Link>
        ) : null
      }
    >
      {LIST_TITLE}
    </ViewHeader>
  );
}

export function TlsStrategyList() {
  const permissions = usePermissions();
  if (!permissions.canView) {
    return (
      <section className="placeholder">
        <title>Not allowed · TLS Strategies · Stalwart</title>
        <ViewHeader>{LIST_TITLE}</ViewHeader>
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
  const rehearsal = useEditPageRehearsal();
  const client = useJmapClient();
  const permissions = usePermissions();
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
  // Which stored names look like others (name-lookalike.ts): read in the background once the
  // rows are on screen, never before them.
  const [isSettled, setIsSettled] = useState(false);
  useEffect(() => {
    let idle = 0;
    const timer = setTimeout(() => {
      const settle = () => {
        setIsSettled(true);
        // What ticking a row shows: ready before the first tick.
        void bulkActions.preload().catch(() => undefined);
      };
      idle = window.requestIdleCallback?.(settle, { timeout: 3_000 }) ?? 0;
      if (!idle) settle();
    }, 1_500);
    return () => {
      clearTimeout(timer);
      if (idle) window.cancelIdleCallback(idle);
    };
  }, []);
  const lookalikes = useQuery({ ...tlsStrategyQueries.allNames(client), enabled: isSettled }).data
    ?.lookalikes;

  const [searchText, setSearchText] = useState(view.search);
  const [selection, setSelection] = useState<Selection>(NOTHING_SELECTED);
  const selected = selection.names;

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

  // A selection, or a search typed but not yet run, is work an expired sign-in must not end.
  useWorkInProgress(selected.size > 0 || wantedSearch !== view.search);

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
    setSelection((current) => {
      const names = new Map(current.names);
      if (names.has(strategy.id)) names.delete(strategy.id);
      else names.set(strategy.id, strategy.name);
      return { names, allMatching: null };
    });

  const togglePage = () =>
    setSelection((current) => {
      const names = new Map(current.names);
      for (const strategy of data?.strategies ?? []) {
        if (isPageSelected) names.delete(strategy.id);
        else names.set(strategy.id, strategy.name);
      }
      return { names, allMatching: null };
    });

  const first = data ? data.position + 1 : 0;
  const last = data ? data.position + data.strategies.length : 0;
  const pageHref = (page: number) => LIST_PATH + listSearch({ ...view, page });

  return (
    <section className="list-view">
      <title>
        {view.page > 1
          ? `TLS Strategies (page ${view.page}) · Stalwart`
          : "TLS Strategies · Stalwart"}
      </title>
      <ListHeader canCreate={permissions.canCreate} />

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
            onChange={(event) => setSearchText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape") {
                event.preventDefault();
                clearSearch();
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
      </div>
      <p id="strategy-search-help" className="field-help list-help">
        Search finds names that start with what you type (case-sensitive; spaces at either end are
        ignored); Escape clears it.
        {permissions.canReloadSettings ? (
          <span id="reload-settings-help">
            {" "}
            Stalwart delivers with saved changes only once its settings are reloaded: Reload
            settings applies every saved change, including those made by other admins or tools,
            which this page cannot list.
          </span>
        ) : null}
      </p>

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
          <div className="selection-bar">
            <p className="count" aria-live="polite">
              {data.strategies.length > 0
                ? `Showing ${numbers.format(first)}–${numbers.format(last)} of ${strategies(data.total)}`
                : strategies(data.total)}
            </p>
            {selected.size > 0 ? (
              <a className="skip-link" href="#pagination">
                Skip to pagination
              </a>
            ) : null}
            {permissions.canDestroy && selected.size > 0 ? (
              <Suspense fallback={null}>
                <BulkActionsView
                  client={client}
                  view={view}
                  total={data.total}
                  isPageSelected={isPageSelected}
                  selection={selection}
                  setSelection={setSelection}
                  currentSearch={() => lastUrlSearch.current}
                  usage={usage}
                  lookalikes={lookalikes}
                />
              </Suspense>
            ) : null}
          </div>
          <div className="table-frame" aria-busy={list.isFetching}>
            <table className="strategy-table">
              <colgroup>
                {permissions.canDestroy ? <col className="col-select" /> : null}
                <col className="col-strategy" />
                <col className="col-security" />
                <col className="col-certificates" />
                <col className="col-timeouts" />
                {permissions.canCreate ? <col className="col-actions" /> : null}
              </colgroup>
              <thead>
                <tr>
                  {permissions.canDestroy ? (
                    <th scope="col" className="cell-select">
                      {/* Its words show where the header row does not (cards). */}
                      <label>
                        <input
                          type="checkbox"
                          checked={isPageSelected}
                          ref={(input) => {
                            if (input) input.indeterminate = selectedOnPage > 0 && !isPageSelected;
                          }}
                          onChange={togglePage}
                        />
                        <span className="select-all-text">Select all strategies on this page</span>
                      </label>
                    </th>
                  ) : null}
                  <th scope="col">Strategy</th>
                  <th scope="col">Security</th>
                  <th scope="col">Certificates</th>
                  <th scope="col">Timeouts</th>
                  {permissions.canCreate ? (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {data.strategies.map((strategy) => (
                  <StrategyRow
                    key={strategy.id}
                    strategy={strategy}
                    isSelected={selected.has(strategy.id)}
                    onToggle={permissions.canDestroy ? () => toggle(strategy) : null}
                    canDuplicate={permissions.canCreate}
                    isUsed={usage?.isKnown === true && usage.names.has(strategy.name)}
                    isNotApplied={notApplied.has(strategy.id)}
                    lookalikes={lookalikes?.get(strategy.id)}
                    onRehearse={rehearsal.rehearse}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {/* What may come late goes below the rows, so it never moves one under the pointer. */}
          {list.isError ? (
            <Notice tone="error">
              Could not refresh the list: {describeError(list.error)} The rows above may be out of
              date.
            </Notice>
          ) : null}
          {usage && !usage.isKnown ? (
            <p className="muted">
              Which strategies the outbound strategy uses is unknown: {usage.reason}.
            </p>
          ) : null}
          {rehearsal.element}
          <nav aria-label="Pagination" className="pagination" id="pagination" tabIndex={-1}>
            <PageLink href={pageHref(1)} isDisabled={view.page <= 1} label="First page" icon="«" />
            <PageLink
              href={pageHref(view.page - 1)}
              isDisabled={view.page <= 1}
              label="Previous page"
              icon="‹"
            />
            <span className="page-of">
              Page {numbers.format(Math.min(view.page, pageCount))} of {numbers.format(pageCount)}
            </span>
            <PageLink
              href={pageHref(view.page + 1)}
              isDisabled={view.page >= pageCount}
              label="Next page"
              icon="›"
            />
            <PageLink
              href={pageHref(pageCount)}
              isDisabled={view.page >= pageCount}
              label="Last page"
              icon="»"
            />
          </nav>
        </>
      )}
    </section>
  );
}

/** One strategy: a table row on wide screens, a card on narrow ones (styles.css). */
function StrategyRow({
  strategy,
  isSelected,
  onToggle,
  canDuplicate,
  isUsed,
  isNotApplied,
  lookalikes,
  onRehearse,
}: {
  strategy: TlsStrategy;
  isSelected: boolean;
  /** null without the permission to delete. */
  onToggle: (() => void) | null;
  canDuplicate: boolean;
  isUsed: boolean;
  isNotApplied: boolean;
  /** The names of other stored strategies that look like this one's. */
  lookalikes: string[] | undefined;
  /** The pointer rests on, or presses, the name: render its edit page in rehearsal. */
  onRehearse: (id: string) => void;
}) {
  const nameId = useId();
  const differs = new Set(differingSettings(strategy));
  const queryClient = useQueryClient();
  const client = useJmapClient();
  // As soon as a pointer reaches a link, or a key or button is pressed on it, its page's code
  // and the strategy are fetched: by the click, the page opens without waiting for either
  // (issue 11). Keyboard focus fetches the code only: tabbing through 100 rows reads none.
  const intentTo = (page: { preload(): Promise<unknown> }, withData: boolean) => () => {
    void page.preload().catch(() => undefined);
    if (withData) prefetchTlsStrategy(queryClient, client, strategy.id);
    if (withData && page === editPage) onRehearse(strategy.id);
  };
  const intent = (page: { preload(): Promise<unknown> }) => ({
    onPointerEnter: intentTo(page, true),
    onPointerDown: intentTo(page, true),
    onFocus: intentTo(page, false),
    onKeyDown: (event: { key: string }) => {
      if (event.key === "Enter") intentTo(page, true)();
    },
  });
  // Names and values straight in the <dl>, in one flat list (no wrapper per pair): a page has
  // many, and each element and fragment is work to render and to remove (issue 11).
  const settings = (...entries: [(typeof SECURITY_SETTINGS)[number], string, ReactNode][]) => (
    <dl className="settings">
      {entries.flatMap(([key, label, value]) => {
        const className = differs.has(key) ? "differs" : undefined;
        return [
          <dt key={`${key}-name`} className={className}>
            {label}
          </dt>,
          // A value cut short by its column (an absurd timeout) is whole in its title.
          <dd
            key={`${key}-value`}
            className={className}
            title={typeof value === "string" ? value : undefined}
          >
            {value}
          </dd>,
        ];
      })}
    </dl>
  );
  const certificates = strategy.allowInvalidCerts ? (
    <span className="badge badge-warning">Accepted</span>
  ) : (
    "Refused"
  );
  return (
    <tr className="strategy-row" onFocus={markTruncated}>
      {onToggle ? (
        <td className="cell-select">
          <input
            type="checkbox"
            aria-label={`Select ${revealHidden(strategy.name)}`}
            checked={isSelected}
            onChange={onToggle}
          />
        </td>
      ) : null}
      <th
        scope="row"
        className="cell-strategy"
        data-full={
          strategy.description === null
            ? revealHidden(strategy.name)
            : `${revealHidden(strategy.name)}\n${revealHidden(strategy.description, "text")}`
        }
      >
        {/* A late "looks like another name" mark sits on the name's own line: no height change. */}
        <span className="name-line">
          <a
            href={editPath(strategy.id)}
            onClick={followInAppLink}
            id={nameId}
            className="strategy-name"
            title={revealHidden(strategy.name)}
            {...intent(editPage)}
          >
            {shownText(strategy.name)}
          </a>
          {lookalikeMark(lookalikes)}
        </span>
        {strategy.description === null ? null : (
          <span className="strategy-description" title={revealHidden(strategy.description, "text")}>
            {shownText(strategy.description, "text")}
          </span>
        )}
        {strategyMarks({
          differences: [...differs].map((key) => FIELDS[key].label),
          isUsed,
          isNotApplied,
        })}
      </th>
      <td className="cell-security">
        {settings(
          ["startTls", FIELDS.startTls.label, policyBadge(strategy.startTls)],
          ["dane", FIELDS.dane.label, policyBadge(strategy.dane)],
          ["mtaSts", FIELDS.mtaSts.label, policyBadge(strategy.mtaSts)],
        )}
      </td>
      <td className="cell-certificates">
        {settings(["allowInvalidCerts", "Invalid certificates", certificates])}
      </td>
      <td className="cell-timeouts">
        {settings(
          ["tlsTimeout", "TLS handshake", formatDuration(strategy.tlsTimeout)],
          ["mtaStsTimeout", "MTA-STS lookup", formatDuration(strategy.mtaStsTimeout)],
        )}
      </td>
      {canDuplicate ? (
        <td className="cell-actions">
          <a
            href={duplicatePath(strategy.id)}
            onClick={followInAppLink}
            aria-describedby={nameId}
            {...intent(createPage)}
          >
            Duplicate
          </a>
        </td>
      ) : null}
    </tr>
  );
}

/**
 * When focus enters a row, whether its name or description is cut short: the whole text then
 * shows beside the row on keyboard focus (styles.css), out of the flow, so no row ever changes
 * height under the pointer (a click on the next row's checkbox once landed on nothing).
 */
function markTruncated(event: FocusEvent<HTMLTableRowElement>) {
  const cell = event.currentTarget.querySelector<HTMLElement>(".cell-strategy");
  if (!cell) return;
  const isCut = [
    ...cell.querySelectorAll<HTMLElement>(".strategy-name, .strategy-description"),
  ].some((element) => element.scrollWidth > element.clientWidth);
  cell.toggleAttribute("data-truncated", isCut);
}

/**
 * Compact marks under a name; each reads as a whole sentence to assistive technology. A
 * function, not a component: one fewer fiber in each row.
 */
/** "Looks like another name", naming the others (name-lookalike.ts), or nothing. */
function lookalikeMark(lookalikes: string[] | undefined) {
  const alike = lookalikes?.map((name) => `“${revealHidden(name)}”`).join(", ");
  return alike ? (
    <span className="mark mark-lookalike" title={`Looks the same as ${alike}`}>
      Looks like another name<span className="visually-hidden">: {alike}</span>
    </span>
  ) : null;
}

function strategyMarks({
  differences,
  isUsed,
  isNotApplied,
}: {
  differences: string[];
  isUsed: boolean;
  isNotApplied: boolean;
}) {
  if (!isUsed && !isNotApplied && differences.length === 0) return null;
  const differ = `Differs from defaults: ${differences.join(", ")}`;
  return (
    <span className="marks">
      {isNotApplied ? <span className="mark mark-pending">Not applied yet</span> : null}
      {isUsed ? (
        <span className="mark mark-used" title="Used by the outbound strategy">
          Used<span className="visually-hidden"> by the outbound strategy</span>
        </span>
      ) : null}
      {differences.length > 0 ? (
        <span className="mark mark-custom" title={differ}>
          Differs from defaults<span className="visually-hidden">: {differences.join(", ")}</span>
        </span>
      ) : null}
    </span>
  );
}

function PageLink({
  href,
  isDisabled,
  label,
  icon,
}: {
  href: string;
  isDisabled: boolean;
  label: string;
  /** Shown instead of the label on narrow screens, so pagination fits on one line. */
  icon: string;
}) {
  const content = (
    <>
      <span className="page-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="page-label">{label}</span>
    </>
  );
  // Disabled, it stays a link (without an href, marked aria-disabled): the same control in
  // every state, found by the same role and name.
  if (isDisabled) {
    return (
      // biome-ignore lint/a11y/useValidAnchor: a link with nowhere to go now, announced as disabled.
      <a role="link" aria-disabled="true" className="button button-disabled">
        {content}
      </a>
    );
  }
  return (
    <Link href={href} className="button">
      {content}
    </Link>
  );
}

/** What ticking rows shows (bulk-actions.tsx): preloaded once the rows are on screen. */
const bulkActions = preloadable(() => import("./bulk-actions"));
const BulkActionsView = preloadedComponent(bulkActions, (m) => m.BulkActions);
