import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { useJmapClient } from "../../app/auth";
import { Notice } from "../../components/notice";
import { describeError } from "../../jmap/describe-error";
import { TLS_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import { formatDuration } from "./duration";
import { CREATE_PATH, editPath } from "./paths";
import { tlsStrategyQueries } from "./queries";
import { FIELDS, POLICY_LABELS, type TlsStrategy } from "./schema";

const PAGE = { position: 0, limit: 500 };

function PolicyCell({ value }: { value: TlsStrategy["dane"] }) {
  return <span className={`badge badge-${value}`}>{POLICY_LABELS[value]}</span>;
}

/**
 * A message handed over by the page that navigated here ("Deleted “x”."). It is shown once:
 * the history entry forgets it, so a reload or Back does not show it again.
 */
function useFlashNotice(): string | null {
  const location = useLocation();
  const navigate = useNavigate();
  const [notice] = useState(() => (location.state as { notice?: string } | null)?.notice ?? null);
  useEffect(() => {
    if (location.state)
      navigate({ pathname: location.pathname, search: location.search }, { replace: true });
  }, [location, navigate]);
  return notice;
}

export function TlsStrategyList() {
  const client = useJmapClient();
  const notice = useFlashNotice();
  const list = useQuery(tlsStrategyQueries.list(client, PAGE));

  return (
    <section aria-labelledby="list-heading">
      <title>TLS Strategies · Stalwart</title>
      <div className="toolbar">
        <div>
          <h2 id="list-heading">Strategies</h2>
          <p className="subtitle">Manage TLS strategies for message delivery.</p>
        </div>
        <Link to={CREATE_PATH} className="button button-primary">
          Create strategy
        </Link>
      </div>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {list.isPending ? (
        <p role="status" className="placeholder">
          Loading TLS strategies…
        </p>
      ) : list.isError ? (
        <Notice tone="error">
          <p>
            Could not load the TLS strategies.{" "}
            {describeError(list.error, { permission: TLS_STRATEGY_PERMISSIONS.query })}
          </p>
          <button type="button" className="button" onClick={() => list.refetch()}>
            Try again
          </button>
        </Notice>
      ) : list.data.total === 0 ? (
        <div className="placeholder">
          <p>
            There are no TLS strategies yet. Outbound delivery uses Stalwart's built-in defaults.
          </p>
          <Link to={CREATE_PATH}>Create the first strategy</Link>
        </div>
      ) : (
        <>
          <p className="count">
            {list.data.total.toLocaleString("en")}{" "}
            {list.data.total === 1 ? "strategy" : "strategies"}
          </p>
          {/* Scrolls sideways on narrow screens; its links keep it reachable by keyboard. */}
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{FIELDS.name.label}</th>
                  <th scope="col">{FIELDS.description.label}</th>
                  <th scope="col">{FIELDS.startTls.label}</th>
                  <th scope="col">{FIELDS.dane.label}</th>
                  <th scope="col">{FIELDS.mtaSts.label}</th>
                  <th scope="col">{FIELDS.allowInvalidCerts.label}</th>
                  <th scope="col">{FIELDS.tlsTimeout.label}</th>
                  <th scope="col">{FIELDS.mtaStsTimeout.label}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.strategies.map((strategy) => (
                  <tr key={strategy.id}>
                    <th scope="row">
                      <Link to={editPath(strategy.id)}>{strategy.name}</Link>
                    </th>
                    <td>{strategy.description ?? <span className="muted">—</span>}</td>
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
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
