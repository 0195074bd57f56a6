import "./delivery.css";
import { useId } from "react";
import type { DeliveryFacts } from "../../stalwart/delivery/facts";
import type { DeliveryStrategy } from "../../stalwart/delivery/outcome";
import {
  type AttemptPicks,
  decideAsPicked,
  type StrategyPick,
} from "../../stalwart/delivery/picks";
import { ShownText } from "../shown-text";
import { OutcomeCells } from "./outcome-cells";
import type { PickState } from "./outcome-table";

// "As the rules pick": what delivery does for the tested recipient with the strategies the
// outbound strategy's `tls` rules pick, read before the table of every strategy. Per attempt
// (first, retry after a TLS error): the route-level pick (mx empty) drives the MTA-STS fetch,
// each MX host's own pick its DANE, STARTTLS and certificate checks (shared delivery reference
// §1.2 steps 1 and 5), so the outcome can differ from every single strategy's row.

const ATTEMPTS = [
  { key: "first", label: "First attempt" },
  { key: "retry", label: "Retry after a TLS error" },
] as const;

function pickWords(pick: StrategyPick): string {
  switch (pick.kind) {
    case "strategy":
      return pick.name;
    case "built-in":
      return `${pick.name} (no strategy has this name: Stalwart's built-in defaults)`;
    case "cannot-tell":
      return `cannot tell here: ${pick.reason}`;
  }
}

/** Which strategy each pass uses: one name when all agree, else per pass. */
function picksInWords(attempt: AttemptPicks): string[] {
  const passes = [
    { where: "MTA-STS fetch (route level)", pick: attempt.route },
    ...attempt.hosts.map((host) => ({ where: host.mx, pick: host.pick })),
  ];
  const words = passes.map((pass) => pickWords(pass.pick));
  if (new Set(words).size === 1) return [words[0] ?? ""];
  return passes.map((pass, index) => `${pass.where}: ${words[index]}`);
}

/**
 * The outcome of each attempt under the strategies the rules pick, with the picks per pass.
 * Nothing while the rules or the strategies are being read; a line saying why when the rules
 * cannot be read.
 */
export function PickedOutcome({
  facts,
  pickState,
  strategies,
}: {
  facts: DeliveryFacts;
  pickState: PickState;
  strategies: readonly DeliveryStrategy[] | undefined;
}) {
  const headingId = useId();
  if (pickState.kind === "loading" || !strategies) return null;
  return (
    <section className="card outcome outcome-picked" aria-labelledby={headingId}>
      <h2 id={headingId}>As the rules pick</h2>
      <p className="muted">
        What delivery does for this recipient with the strategies the outbound strategy's TLS rules
        pick (as saved: a change not yet applied is not what Stalwart runs). The route-level pick,
        with no MX host yet, drives the MTA-STS fetch; each MX host's own pick drives its DANE,
        STARTTLS and certificate checks.
      </p>
      {pickState.kind === "unknown" ? (
        <p>
          Cannot tell here which strategies the rules pick: {pickState.reason.replace(/\.$/, "")}.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="outcome-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Attempt</th>
                <th scope="col">Strategy picked</th>
                <th scope="col">Outcome</th>
                <th scope="col">Ends on</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {ATTEMPTS.map(({ key, label }) => {
                const attempt = pickState.picks[key];
                const result = decideAsPicked(attempt, strategies, facts);
                const picked = picksInWords(attempt);
                return (
                  <tr key={key}>
                    <th scope="row">{label}</th>
                    <td className="breakable" data-label="Strategy picked">
                      {picked.length === 1 ? (
                        <ShownText text={picked[0] ?? ""} kind="text" />
                      ) : (
                        <ul className="picked-passes">
                          {picked.map((line) => (
                            <li key={line}>
                              <ShownText text={line} kind="text" />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    {result.kind === "decided" ? (
                      <OutcomeCells outcome={result.outcome} />
                    ) : (
                      <>
                        <td data-label="Outcome">Cannot tell</td>
                        <td className="breakable" data-label="Ends on">
                          —
                        </td>
                        <td className="breakable" data-label="Reason">
                          <span className="stalwart-text">{result.reason}</span>
                        </td>
                      </>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
