import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense, useEffect, useState } from "react";
import { Link } from "wouter";
import { describeError } from "../../../components/describe-error";
import { Notice } from "../../../components/notice";
import { preloadable, preloadedComponent } from "../../../components/preloadable";
import { ShownText } from "../../../components/shown-text";
import { ViewHeader } from "../../../components/view-heading";
import { TLS_STRATEGY_PERMISSIONS } from "../../../jmap/protocol";
import { useWorkInProgress } from "../../../navigation/navigation-guard";
import { CREATE_PATH, RULES_PATH, TEST_PATH } from "../../../paths";
import { usePendingChanges } from "../../../pending-apply/pending-changes";
import { useJmapClient } from "../../../session/auth";
import { usePermissions } from "../../../session/permissions";
import { outboundQueries } from "../../../stalwart/outbound-strategy";
import { OBJECT, type TlsStrategy, tlsStrategyQueries } from "../../../stalwart/tls-strategy";
import { storedNamesQuery } from "../data/stored-names-query";
import { numbers, strategies } from "../model/counts";
import { NOTHING_SELECTED, type Selection } from "../model/selection";
import { ListControls } from "./controls";
import { useIsSettled, useListView, useSearchBox } from "./list-view";
import { Pagination } from "./pagination";
import { useEditPageRehearsal } from "./rehearsal";
import { StrategyRow } from "./row";

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

/**
 * The views about what strategies do, below the controls: in the header they would push the
 * controls down from where index.html's frame draws them.
 */
function RelatedViews({
  canTest,
  canReadOutbound,
}: {
  canTest: boolean;
  canReadOutbound: boolean;
}) {
  if (!canTest && !canReadOutbound) return null;
  return (
    <nav aria-label="What strategies do" className="actions">
      {canTest ? (
        <Link href={TEST_PATH} className="button">
          Test a destination
        </Link>
      ) : null}
      {canReadOutbound ? (
        <Link href={RULES_PATH} className="button">
          Which strategy applies where
        </Link>
      ) : null}
    </nav>
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
  const [view, setView] = useListView();
  const list = useQuery({
    ...tlsStrategyQueries.list(client, view),
    placeholderData: keepPreviousData,
  });
  // Which stored names look like others (name-lookalike.ts), and what ticking a row shows:
  // read and loaded in the background once the rows are on screen, never before them.
  const isSettled = useIsSettled();
  useEffect(() => {
    if (isSettled) void bulkActions.preload().catch(() => undefined);
  }, [isSettled]);
  const lookalikes = useQuery({ ...storedNamesQuery(client), enabled: isSettled }).data?.lookalikes;

  const search = useSearchBox(view, setView);
  const [selection, setSelection] = useState<Selection>(NOTHING_SELECTED);
  const selected = selection.names;

  // A selection, or a search typed but not yet run, is work an expired sign-in must not end.
  useWorkInProgress(selected.size > 0 || search.isPending);

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

  return (
    <section className="list-view">
      <title>
        {view.page > 1
          ? `TLS Strategies (page ${view.page}) · Stalwart`
          : "TLS Strategies · Stalwart"}
      </title>
      <ListHeader canCreate={permissions.canCreate} />
      <ListControls
        searchText={search.searchText}
        onSearchText={search.setSearchText}
        onClear={search.clear}
        view={view}
        setView={setView}
        list={list}
        canReloadSettings={permissions.canReloadSettings}
      />
      <RelatedViews
        canTest={permissions.canTestDelivery}
        canReadOutbound={permissions.canReadOutbound}
      />

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
          <button type="button" className="button" onClick={search.clear}>
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
                  currentSearch={search.current}
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
                    usedBy={usage?.isKnown ? usage.names.get(strategy.name) : undefined}
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
          <Pagination view={view} pageCount={pageCount} />
        </>
      )}
    </section>
  );
}

/** What ticking rows shows (bulk-actions.tsx): preloaded once the rows are on screen. */
const bulkActions = preloadable(() => import("./bulk-actions"));
const BulkActionsView = preloadedComponent(bulkActions, (m) => m.BulkActions);
