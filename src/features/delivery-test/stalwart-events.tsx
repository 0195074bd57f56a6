import { type ReactNode, useId } from "react";
import type { LiveTlsa } from "../../stalwart/delivery/live/events";
import type {
  LiveAttempt,
  LiveHost,
  LiveStep,
  LiveSummary,
} from "../../stalwart/delivery/live/summary";

// Stalwart's own test as an admin reads it (shared delivery reference §3.2): the MX list and
// the MTA-STS policy it used, then per host it tried: the policy check, TLSA, the addresses,
// and per address each step with Stalwart's own text when it failed.

const STEP_WORDS: Record<LiveStep["step"], [ok: string, failed: string]> = {
  connection: ["Connected", "Connection failed"],
  greeting: ["Greeting received", "Greeting failed"],
  ehlo: ["EHLO accepted", "EHLO failed"],
  startTls: ["STARTTLS and TLS succeeded, certificate verified by PKI", "STARTTLS failed"],
  dane: ["DANE verified the certificate", "DANE verification failed"],
  mailFrom: ["MAIL FROM accepted", "MAIL FROM refused"],
  rcptTo: ["RCPT TO accepted", "RCPT TO refused"],
  quit: ["QUIT completed", "QUIT failed"],
};

function stepText(step: LiveStep): string {
  const [ok, failed] = STEP_WORDS[step.step];
  const time = step.elapsed !== undefined ? ` (${step.elapsed} ms)` : "";
  return step.ok ? `${ok}${time}.` : `${failed}${time}: ${step.reason ?? "no reason given"}`;
}

function tlsaWords(record: LiveTlsa): string {
  const ee = record.entries.filter((entry) => entry.is_end_entity).length;
  const ta = record.entries.length - ee;
  return `DNSSEC-signed TLSA records: ${ee} DANE-EE${ta ? `, ${ta} DANE-TA` : ""}.`;
}

function Attempt({ attempt }: { attempt: LiveAttempt }) {
  return (
    <li>
      <span className="fact-name">{attempt.remoteIp}</span>
      <ul className="fact-details">
        {attempt.steps.map((step, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps repeat (EHLO twice) and never move
          <li key={index} className={step.ok ? undefined : "stalwart-text"}>
            {stepText(step)}
          </li>
        ))}
        {attempt.steps.length === 0 ? <li className="muted">Connecting…</li> : null}
      </ul>
    </li>
  );
}

function Host({ host }: { host: LiveHost }) {
  const items: ReactNode[] = [];
  if (host.mtaStsVerify)
    items.push(
      host.mtaStsVerify.ok
        ? "MTA-STS: the policy authorizes this host."
        : `MTA-STS: ${host.mtaStsVerify.reason ?? "not authorized"}; the test skips the host.`,
    );
  if (host.tlsa)
    items.push(
      host.tlsa.kind === "found" ? (
        tlsaWords(host.tlsa.record)
      ) : (
        <>
          TLSA: <span className="stalwart-text">{host.tlsa.reason}</span>
        </>
      ),
    );
  if (host.ips)
    items.push(
      host.ips.ok
        ? `Addresses: ${host.ips.remoteIps.join(", ")}.`
        : `Address lookup failed: ${host.ips.reason}`,
    );
  return (
    <li>
      <span className="fact-name">{host.hostname}</span>
      <ul className="fact-details">
        {items.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed order of facts
          <li key={index}>{item}</li>
        ))}
        {host.attempts.map((attempt, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an address may be tried twice
          <Attempt key={index} attempt={attempt} />
        ))}
      </ul>
    </li>
  );
}

/** What Stalwart's test reported so far; `isRunning` says more may come. */
export function StalwartEvents({
  summary,
  isRunning,
}: {
  summary: LiveSummary;
  isRunning: boolean;
}) {
  const { mx, mtaSts } = summary;
  const pending = isRunning ? "Not reported yet." : "Not reported.";
  const hostsId = useId();
  return (
    <>
      <h3>MX hosts it found</h3>
      {!mx ? (
        <p className="muted">{pending}</p>
      ) : mx.kind === "error" ? (
        <p>
          MX lookup failed: <span className="stalwart-text">{mx.reason}</span>
        </p>
      ) : (
        <ol className="fact-list">
          {mx.mxs.map((group) => (
            <li key={group.preference}>
              {group.exchanges.join(", ")}{" "}
              <span className="muted">preference {group.preference}</span>
            </li>
          ))}
        </ol>
      )}
      <h3>MTA-STS policy it used</h3>
      {!mtaSts ? (
        <p className="muted">{pending}</p>
      ) : mtaSts.kind === "policy" ? (
        <p>
          Policy <code>{mtaSts.policy.id}</code>: mode <strong>{mtaSts.policy.mode}</strong>, MX
          patterns{" "}
          {mtaSts.policy.mx
            .map((p) => (p.type === "startsWith" ? `*.${p.value}` : p.value))
            .join(", ")}
          , max_age {mtaSts.policy.maxAge} s.
        </p>
      ) : mtaSts.kind === "notFound" ? (
        <p>No MTA-STS policy (no _mta-sts record).</p>
      ) : (
        <p>
          No policy: <span className="stalwart-text">{mtaSts.reason}</span>
        </p>
      )}
      <h3 id={hostsId}>Hosts it tried, in order</h3>
      {summary.hosts.length === 0 ? (
        <p className="muted">{isRunning ? "None yet." : "None."}</p>
      ) : (
        <ol className="fact-list" aria-labelledby={hostsId}>
          {summary.hosts.map((host, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a host name may repeat in an MX set
            <Host key={index} host={host} />
          ))}
        </ol>
      )}
      {summary.unknownTypes.length > 0 ? (
        <p className="muted">
          Events this page does not know (a newer Stalwart): {summary.unknownTypes.join(", ")}.
        </p>
      ) : null}
    </>
  );
}
