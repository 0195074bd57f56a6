import "./delivery.css";
import type { DeliveryStrategy, Outcome } from "../../stalwart/delivery/outcome";
import {
  type AttemptPicks,
  otherPicks,
  type Picks,
  pickedFor,
  type StrategyPick,
} from "../../stalwart/delivery/picks";
import { ShownText } from "../shown-text";
import { OutcomeCells } from "./outcome-cells";

// The outcome table: one row per stored strategy, the outcome in the page's exact words, the
// MX it ends on, Stalwart's reason, and which attempt the `tls` expression picks it for.

export interface OutcomeRow {
  strategy: DeliveryStrategy & { id: string };
  outcome: Outcome;
}

/** What the marking column says; `unknown` when the expression could not be read at all. */
export type PickState =
  | { kind: "known"; picks: Picks }
  | { kind: "unknown"; reason: string }
  | { kind: "loading" };

function marks(picks: Picks, name: string): string[] {
  const where = (attempt: AttemptPicks, label: string) => {
    const found = pickedFor(attempt, name);
    if (found === null) return null;
    return found === "all" ? label : `${label} (for ${found.join(", ")})`;
  };
  return [
    where(picks.first, "First attempt"),
    where(picks.retry, "Retry after a TLS error"),
  ].filter((mark): mark is string => mark !== null);
}

function pickText(pick: StrategyPick): string {
  return pick.kind === "built-in"
    ? `“${pick.name}”, which no strategy is named: Stalwart uses its built-in defaults`
    : pick.kind === "cannot-tell"
      ? `cannot tell here: ${pick.reason}`
      : `“${pick.name}”`;
}

/** Picks that are no stored strategy, in words under the table. */
function OtherPicks({ picks }: { picks: Picks }) {
  const lines = [
    ...otherPicks(picks.first).map((pick) => `First attempt: ${pickText(pick)}.`),
    ...otherPicks(picks.retry).map((pick) => `Retry after a TLS error: ${pickText(pick)}.`),
  ];
  if (lines.length === 0) return null;
  return (
    <ul className="outcome-notes">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

export function OutcomeTable({
  rows,
  pickState,
}: {
  rows: readonly OutcomeRow[];
  pickState: PickState;
}) {
  const notes = [...new Set(rows.flatMap((row) => row.outcome.notes))];
  return (
    <section className="card outcome" aria-labelledby="outcome-heading">
      <h2 id="outcome-heading">Outcome for each strategy</h2>
      <p className="muted">
        What Stalwart's outbound delivery would do with these facts under each strategy, for one
        attempt. The “Used for” column shows which strategy the outbound strategy's <code>tls</code>{" "}
        expression picks.
      </p>
      <div className="table-scroll">
        <table className="outcome-table" aria-labelledby="outcome-heading">
          <thead>
            <tr>
              <th scope="col">Strategy</th>
              <th scope="col">Outcome</th>
              <th scope="col">Ends on</th>
              <th scope="col">Reason</th>
              <th scope="col">Used for</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ strategy, outcome }) => {
              const used =
                pickState.kind === "known"
                  ? marks(pickState.picks, strategy.name)
                  : pickState.kind === "loading"
                    ? ["…"]
                    : [];
              return (
                <tr key={strategy.id}>
                  <th scope="row">
                    <ShownText text={strategy.name} />
                  </th>
                  <OutcomeCells outcome={outcome}>
                    {outcome.trace.length > 0 ? (
                      <details>
                        <summary>
                          Steps<span className="visually-hidden"> for {strategy.name}</span>
                        </summary>
                        <ol className="trace">
                          {outcome.trace.map((entry, index) => (
                            // biome-ignore lint/suspicious/noArrayIndexKey: the trace is append-only
                            <li key={index}>
                              {entry.host
                                ? `${entry.host}${entry.address ? ` (${entry.address})` : ""}: `
                                : ""}
                              {entry.text}
                            </li>
                          ))}
                        </ol>
                      </details>
                    ) : null}
                  </OutcomeCells>
                  <td data-label="Used for">{used.length > 0 ? used.join("; ") : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {pickState.kind === "known" ? <OtherPicks picks={pickState.picks} /> : null}
      {notes.length > 0 ? (
        <ul className="outcome-notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
