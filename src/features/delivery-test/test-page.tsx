import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { Link, useLocation } from "wouter";
import { FactsView } from "../../components/delivery/facts-view";
import {
  type OutcomeRow,
  OutcomeTable,
  type PickState,
} from "../../components/delivery/outcome-table";
import { PickedOutcome } from "../../components/delivery/picked-outcome";
import { TargetForm } from "../../components/delivery/target-form";
import { useDeliveryProbe } from "../../components/delivery/use-delivery-probe";
import { describeError } from "../../components/describe-error";
import { Notice } from "../../components/notice";
import { ViewHeader } from "../../components/view-heading";
import { useUrlSearchParams } from "../../navigation/url-search";
import { LIST_PATH, testPath } from "../../paths";
import { useJmapClient, useWithReauthentication } from "../../session/auth";
import { usePermissions } from "../../session/permissions";
import { allTlsStrategiesQuery } from "../../stalwart/all-tls-strategies";
import { decideFor } from "../../stalwart/delivery/decide";
import type { DeliveryFacts } from "../../stalwart/delivery/facts";
import { pickedFor, pickStrategies } from "../../stalwart/delivery/picks";
import { tlsExpression, tlsRulesQuery } from "../../stalwart/outbound-tls-rules";
import type { TlsStrategy } from "../../stalwart/tls-strategy";
import { StalwartTest } from "./stalwart-test";

// Test a destination (README "Testing a destination"): type a recipient domain or address, see the
// facts as they arrive, and what Stalwart's delivery would do under every stored strategy. The
// facts are collected once; every outcome is computed from them in the browser (decide.ts). Once
// they are in, Stalwart's own live test can run beside them (stalwart-test.tsx).

const TITLE = "Test a destination";
const SUBTITLE =
  "What Stalwart's outbound delivery would do for a recipient domain under each TLS strategy, from live DNS, MTA-STS, DANE and SMTP facts.";

export function DeliveryTestPage() {
  const permissions = usePermissions();
  if (!permissions.isKnown) {
    return (
      <section>
        <title>{`${TITLE} · Stalwart`}</title>
        <ViewHeader subtitle={SUBTITLE}>{TITLE}</ViewHeader>
        <p role="status" className="placeholder">
          Loading…
        </p>
      </section>
    );
  }
  if (!permissions.canTestDelivery) {
    return (
      <section>
        <title>{`Not allowed · ${TITLE} · Stalwart`}</title>
        <ViewHeader subtitle={SUBTITLE}>{TITLE}</ViewHeader>
        <Notice tone="info">
          <p>
            Testing a destination needs the “liveDeliveryTest” permission, which your account does
            not hold. An administrator must run the test, or grant you the permission.
          </p>
        </Notice>
        <p>
          <Link href={LIST_PATH}>Back to TLS Strategies</Link>
        </p>
      </section>
    );
  }
  return <DeliveryTest />;
}

function useOutcomeRows(
  facts: DeliveryFacts | null,
  strategies: readonly TlsStrategy[] | undefined,
) {
  return useMemo(
    (): OutcomeRow[] =>
      facts && strategies
        ? strategies.map((strategy) => ({ strategy, outcome: decideFor(strategy, facts) }))
        : [],
    [facts, strategies],
  );
}

/**
 * The rows of the strategies the rules pick first (for a first attempt, then for a retry after
 * a TLS error), then the others in the order given: the admin reads what will happen first.
 */
function pickedFirst(rows: OutcomeRow[], pickState: PickState): OutcomeRow[] {
  if (pickState.kind !== "known") return rows;
  const rank = (name: string) =>
    pickedFor(pickState.picks.first, name) !== null
      ? 0
      : pickedFor(pickState.picks.retry, name) !== null
        ? 1
        : 2;
  return rows
    .map((row, index) => ({ row, index, rank: rank(row.strategy.name) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ row }) => row);
}

function DeliveryTest() {
  const client = useJmapClient();
  const withReauthentication = useWithReauthentication();
  const params = useUrlSearchParams();
  const [, navigate] = useLocation();
  // The deep link's target, read once: the address bar follows each run afterwards.
  const [initial] = useState(() => params.get("target") ?? "");
  const { state, run, stop } = useDeliveryProbe(client, withReauthentication);
  const strategies = useQuery(allTlsStrategiesQuery(client));
  // The same read, and cache entry, as the rules view: saving the rules there updates this.
  const expression = useQuery(tlsRulesQuery(client));
  const facts = state.facts;
  // The address bar names the test shown, once it has ended: updating it re-renders the whole
  // page, work the first facts on screen would otherwise wait for (bench: first fact).
  const ranInput = state.phase === "finished" ? state.target?.input : undefined;
  useEffect(() => {
    if (ranInput !== undefined) navigate(testPath(ranInput), { replace: true });
  }, [ranInput, navigate]);
  const rows = useOutcomeRows(facts, strategies.data);
  const mxHosts = facts?.mx?.hosts;
  const recipient = facts ? (facts.target.address ?? facts.target.domain) : null;
  const hasStrategies = strategies.data !== undefined;
  const storedNames = useMemo(
    () => new Set(strategies.data?.map((strategy) => strategy.name)),
    [strategies.data],
  );
  // Keyed on what the picks read (the recipient, the MX hosts, the rules, the names), not on
  // the facts: they change with every frame, and compiling the rules each time is work the
  // first facts on screen would wait for.
  const pickState = useMemo((): PickState => {
    if (recipient === null || !hasStrategies) return { kind: "loading" };
    if (expression.isError) return { kind: "unknown", reason: describeError(expression.error) };
    if (!expression.data) return { kind: "loading" };
    return {
      kind: "known",
      picks: pickStrategies({
        tls: tlsExpression(expression.data),
        recipient,
        mxHosts: mxHosts ?? [],
        storedNames,
      }),
    };
  }, [
    recipient,
    hasStrategies,
    storedNames,
    expression.data,
    expression.isError,
    expression.error,
    mxHosts,
  ]);

  const problem = state.problem;
  return (
    <section className="delivery-test">
      <title>{`${TITLE} · Stalwart`}</title>
      <ViewHeader subtitle={SUBTITLE}>{TITLE}</ViewHeader>
      <div className="card">
        <TargetForm
          initialInput={initial}
          autoRun={initial !== ""}
          isRunning={state.phase === "running"}
          step={state.step}
          serverError={problem?.kind === "target" ? problem.message : null}
          onRun={run}
          onStop={stop}
        />
      </div>
      {problem && problem.kind !== "target" ? (
        <Notice tone="error">
          <p>{problem.message}</p>
        </Notice>
      ) : null}
      {state.invalidFrames.length > 0 ? (
        <Notice tone="error">
          <p>Part of the server's answer was not understood and is left out:</p>
          <ul>
            {state.invalidFrames.map((message, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat
              <li key={index}>{message}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {facts ? (
        <>
          {strategies.isError ? (
            <Notice tone="error">
              <p>The strategies could not be read: {describeError(strategies.error)}</p>
            </Notice>
          ) : (
            <>
              <PickedOutcome facts={facts} pickState={pickState} strategies={strategies.data} />
              <OutcomeTable rows={pickedFirst(rows, pickState)} pickState={pickState} />
            </>
          )}
          <FactsView facts={facts} />
          {/* Stalwart's own test, offered once the page's own test is over (README "Testing a destination"). */}
          {state.phase === "finished" ? (
            <StalwartTest key={facts.collectedAt} facts={facts} />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
