import { useId, useMemo } from "react";
import { Notice } from "../../components/notice";
import { useJmapClient, useWithReauthentication } from "../../session/auth";
import type { DeliveryFacts } from "../../stalwart/delivery/facts";
import {
  compareWithStalwart,
  type Disagreement,
  type DisagreementFact,
} from "../../stalwart/delivery/live/compare";
import { summarizeLiveTest } from "../../stalwart/delivery/live/summary";
import { StalwartEvents } from "./stalwart-events";
import { useStalwartTest } from "./use-stalwart-test";

// "Stalwart's own test" beside the page's prediction (README "Testing a destination"): the admin
// opts in (it primes Stalwart's MTA-STS cache), its events as an admin reads them, where it ran,
// the differences the shared delivery reference §3.3 predicts, and where the two disagree.

const FACT_WORDS: Record<DisagreementFact, string> = {
  mx: "MX list",
  "mta-sts": "MTA-STS policy",
  tlsa: "TLSA records",
  starttls: "STARTTLS",
  pki: "Certificate by PKI",
  dane: "DANE",
};

/** Where Stalwart's test runs, by who collected the page's facts (facts.ts `collectedBy`). */
function whereItRuns(collectedBy: DeliveryFacts["source"]["collectedBy"]): string {
  if (collectedBy === "proxy")
    return "It runs on the mail server, the Stalwart this page manages: from its network, its resolver, its trusted roots and its caches, where mail really leaves from. The page's own test ran on this page's server.";
  if (collectedBy === "embedded")
    return "It runs on this server, the embedded mail server: the same network, resolver and trusted roots as the page's own test.";
  return "It runs on the server that answers Stalwart's API: the mail server when this page runs beside a separate Stalwart.";
}

/** Texts quoted from either side may end with their own full stop. */
const withoutStop = (text: string) => text.replace(/\.$/, "");

function DisagreementItem({ item }: { item: Disagreement }) {
  return (
    <li>
      <span className="fact-name">
        {FACT_WORDS[item.fact]}
        {item.host ? ` on ${item.host}` : ""}
      </span>{" "}
      <span className={`badge ${item.isExpected ? "" : "badge-bad"}`}>
        {item.isExpected ? "Expected: the test is not delivery" : "Not expected"}
      </span>
      <ul className="fact-details">
        <li>This page's test: {withoutStop(item.prediction)}.</li>
        <li>
          Stalwart's test: <span className="stalwart-text">{withoutStop(item.stalwart)}</span>.
        </li>
        <li className="muted">{item.why}</li>
      </ul>
    </li>
  );
}

/** The region, for the facts of a finished run of the page's own test. */
export function StalwartTest({ facts }: { facts: DeliveryFacts }) {
  const client = useJmapClient();
  const withReauthentication = useWithReauthentication();
  const { state, run, stop } = useStalwartTest(client, withReauthentication);
  const id = useId();
  const headingId = `${id}-heading`;
  const noteId = `${id}-note`;
  const listId = `${id}-disagreements`;
  const summary = useMemo(() => summarizeLiveTest(state.events), [state.events]);
  const disagreements = useMemo(
    () => compareWithStalwart(facts, state.events),
    [facts, state.events],
  );
  const isRunning = state.phase === "running";
  const target = facts.target.address ?? facts.target.domain;
  const stalwartStatus = isRunning
    ? "Stalwart's test is running…"
    : state.phase === "finished"
      ? state.isStopped
        ? "Stalwart's test was stopped."
        : summary.isCompleted
          ? "Stalwart's test completed."
          : ""
      : "";
  return (
    <section className="card facts stalwart-test" aria-labelledby={headingId}>
      <h2 id={headingId}>Stalwart's own test</h2>
      <p>
        Stalwart's live delivery test for {target}, as its web admin runs it.{" "}
        {whereItRuns(facts.source.collectedBy)}
      </p>
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={isRunning}
          aria-describedby={noteId}
          onClick={() => run(target)}
        >
          Run Stalwart's own test
        </button>
        {isRunning ? (
          <button type="button" className="button" onClick={stop}>
            Stop Stalwart's test
          </button>
        ) : null}
      </div>
      <p id={noteId} className="muted">
        Running it changes Stalwart: its test fetches the MTA-STS policy through the same cache as
        delivery, so it primes or refreshes that cache for {facts.target.domain}.
      </p>
      {stalwartStatus ? (
        <p className="muted" role="status">
          {stalwartStatus}
        </p>
      ) : null}
      <h3>What it does differently from delivery</h3>
      <ul className="fact-list">
        <li>It ignores the strategies and the tls expression: one run, not one per strategy.</li>
        <li>
          It always checks certificates by PKI (allowing invalid certificates does not apply); when
          PKI refuses a certificate it moves on, so DANE is checked only after PKI passed.
        </li>
        <li>It stops at the first host that succeeds: later hosts are not tried.</li>
        <li>
          It reports TLSA by reason: unsigned and missing records both read “No TLSA DNSSEC records
          found”, and DANE-TA-only records read as an error.
        </li>
        <li>It lists every MX record, without the route's host limit or DNSSEC status.</li>
      </ul>
      {state.problem ? (
        <Notice tone="error">
          <p>{state.problem}</p>
        </Notice>
      ) : null}
      {state.invalidEvents.length > 0 ? (
        <Notice tone="error">
          <p>Part of Stalwart's answer was not understood and is left out:</p>
          <ul>
            {state.invalidEvents.map((message, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat
              <li key={index}>{message}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {state.phase === "idle" ? null : (
        <>
          <StalwartEvents summary={summary} isRunning={isRunning} />
          <h3 id={listId}>Where the two tests disagree</h3>
          {disagreements.length > 0 ? (
            <ul className="fact-list" aria-labelledby={listId}>
              {disagreements.map((item) => (
                <DisagreementItem
                  key={`${item.fact} ${item.host ?? ""} ${item.prediction}`}
                  item={item}
                />
              ))}
            </ul>
          ) : (
            <p>
              {isRunning
                ? "Nothing so far."
                : "They agree on every fact both report (the MX list, the MTA-STS policy, and per host tried: TLSA, STARTTLS, the certificate)."}
            </p>
          )}
          <details className="raw-facts">
            <summary>Raw events as received</summary>
            <pre className="wrap-anywhere">
              {state.events.map((event) => JSON.stringify(event)).join("\n")}
            </pre>
          </details>
        </>
      )}
    </section>
  );
}
