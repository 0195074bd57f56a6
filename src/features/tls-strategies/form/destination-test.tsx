import { useEffect, useId, useRef } from "react";
import { FactsView } from "../../../components/delivery/facts-view";
import { OutcomeCells } from "../../../components/delivery/outcome-cells";
import { TargetForm } from "../../../components/delivery/target-form";
import { useDeliveryProbe } from "../../../components/delivery/use-delivery-probe";
import { Notice } from "../../../components/notice";
import { useJmapClient, useWithReauthentication } from "../../../session/auth";
import { decideFor } from "../../../stalwart/delivery/decide";
import type { DeliveryStrategy } from "../../../stalwart/delivery/outcome";
import { deliveryRegression } from "../model/delivery-regression";
import type { Finding } from "../model/security-rules";

// "Test against a destination" on the edit and create forms: the facts of one domain, collected
// once, and the outcome of the saved strategy beside this draft's, recomputed from the same facts
// as the draft changes (README "Testing a destination"). Inside the strategy's <form>, so its own
// field and button never submit it.

export interface DestinationTestProps {
  /** The stored strategy (edit), or null (create: only the draft is shown). */
  saved: DeliveryStrategy | null;
  draft: DeliveryStrategy;
  /**
   * For the security review: a finding when the draft bounces or downgrades what the saved
   * strategy delivers on the facts collected (model/delivery-regression.ts), else null.
   */
  onFinding: (finding: Finding | null) => void;
}

export function DestinationTest({ saved, draft, onFinding }: DestinationTestProps) {
  const client = useJmapClient();
  const withReauthentication = useWithReauthentication();
  const { state, run, stop } = useDeliveryProbe(client, withReauthentication);
  const headingId = useId();
  const facts = state.facts;
  const finding = deliveryRegression(saved, draft, facts);
  // Told when what it says changes, not on every render (the draft is a new object each time).
  const findingKey = finding ? `${finding.message}\n${finding.fields.join()}` : "";
  const latest = useRef(finding);
  latest.current = finding;
  useEffect(() => {
    onFinding(findingKey ? latest.current : null);
  }, [findingKey, onFinding]);
  useEffect(() => () => onFinding(null), [onFinding]);
  const rows = facts
    ? [
        ...(saved ? [{ label: "Saved strategy", outcome: decideFor(saved, facts) }] : []),
        { label: "This draft", outcome: decideFor(draft, facts) },
      ]
    : [];
  const problem = state.problem;
  return (
    <section aria-labelledby={headingId} className="card destination-test">
      <h2 id={headingId}>Test against a destination</h2>
      <p className="field-help">
        What delivery to one domain would do with {saved ? "the saved strategy and with" : ""} these
        settings, from live facts collected once. Nothing is saved.
      </p>
      <TargetForm
        asForm={false}
        isRunning={state.phase === "running"}
        step={state.step}
        serverError={problem?.kind === "target" ? problem.message : null}
        onRun={run}
        onStop={stop}
      />
      {problem && problem.kind !== "target" ? (
        <Notice tone="error">
          <p>{problem.message}</p>
        </Notice>
      ) : null}
      {facts ? (
        <>
          <div className="table-scroll">
            <table className="outcome-table">
              <caption className="visually-hidden">Outcome for {facts.target.domain}</caption>
              <thead>
                <tr>
                  <th scope="col">Settings</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Ends on</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ label, outcome }) => {
                  return (
                    <tr key={label}>
                      <th scope="row">{label}</th>
                      <OutcomeCells outcome={outcome} />
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <details className="destination-facts">
            <summary>The facts for {facts.target.domain}</summary>
            <FactsView facts={facts} level={3} />
          </details>
        </>
      ) : null}
    </section>
  );
}
