import type {
  DeliveryFacts,
  DnssecStatus,
  MtaStsFacts,
  MxFacts,
} from "../../stalwart/delivery/facts";
import { isMxAuthorized } from "../../stalwart/delivery/policy-match";
import { unicodeDomain } from "../../stalwart/delivery/target";
import { HostFactsView } from "./host-facts";

// The facts as an admin reads them (README "Testing a destination"): when and from where, whether
// the resolver validates DNSSEC, the MX hosts in order, the MTA-STS policy, then each host. The raw
// facts are one click away, never shown as a wall of JSON.

const DNSSEC_WORDS: Record<DnssecStatus, string> = {
  secure: "DNSSEC: secure",
  insecure: "DNSSEC: not signed",
  indeterminate: "DNSSEC: indeterminate",
  bogus: "DNSSEC: bogus",
};

/**
 * The collection time in the admin's locale. One formatter for the page: `toLocaleString`
 * builds a new one on every call, a few ms each, and the view renders on every frame.
 */
let collectedAtFormat: Intl.DateTimeFormat | undefined;
const formatCollectedAt = (date: Date) => {
  // toLocaleString's own default fields, so the words are the same as before.
  collectedAtFormat ??= new Intl.DateTimeFormat(undefined, {
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
  });
  return collectedAtFormat.format(date);
};

/** When and where the facts were collected, from the `start` frame. */
function Provenance({ facts }: { facts: DeliveryFacts }) {
  const { source } = facts;
  const when = new Date(facts.collectedAt);
  const status =
    facts.status === "collecting"
      ? "Collecting…"
      : facts.status === "complete"
        ? `Complete in ${facts.elapsedMs ?? 0} ms.`
        : `Stopped${facts.stopReason ? `: ${facts.stopReason}` : ""}. Facts not collected stay unknown.`;
  return (
    <p className="muted">
      Collected{" "}
      <time dateTime={facts.collectedAt}>
        {Number.isNaN(when.getTime()) ? facts.collectedAt : formatCollectedAt(when)}
      </time>{" "}
      from this page's server: its network, its resolver{source.resolvers.length > 1 ? "s" : ""} (
      {source.resolvers.join(", ") || "the system's"}) and its trusted roots, connecting to port{" "}
      {source.smtpPort} (SMTP) and {source.mtaStsPort} (MTA-STS).{" "}
      {source.collectedBy === "proxy"
        ? "Not from the mail server: this page runs beside a separate Stalwart, whose network, resolver and caches may differ."
        : source.collectedBy === "embedded"
          ? ""
          : "When the page runs beside a separate Stalwart, these are not the mail server's own facts or caches."}{" "}
      {status}
    </p>
  );
}

function ResolverNotice({ facts }: { facts: DeliveryFacts }) {
  const resolver = facts.resolver;
  if (!resolver) return null;
  if (resolver.validates) return <p>This server's resolver validates DNSSEC: DANE can apply.</p>;
  return (
    <div className="notice notice-error" role="note">
      <p>
        <strong>This server's resolver cannot validate DNSSEC.</strong> Stalwart turns DANE off when
        its resolver cannot: DANE Optional then never applies, and DANE Required bounces every
        message. If Stalwart uses the same resolver, fix the resolver before relying on DANE.
      </p>
      <p>What the check saw: {resolver.detail}</p>
    </div>
  );
}

function MxList({ mx, policy }: { mx: MxFacts; policy: MtaStsFacts["policy"] | undefined }) {
  if (mx.outcome === "error")
    return <p>The MX lookup failed: {mx.error ?? "no answer"}. Stalwart defers the mail.</p>;
  if (mx.isNullMx) return <p>Null MX: the domain says it accepts no mail.</p>;
  const byHost = new Map(mx.records.map((record) => [record.exchange, record.preference]));
  return (
    <>
      {mx.isImplicit ? (
        <p>No MX records: Stalwart delivers to the domain itself (implicit MX).</p>
      ) : null}
      <ol className="fact-list">
        {mx.hosts.map((host) => (
          <li key={host}>
            <span className="fact-name">{host}</span>{" "}
            {byHost.has(host) ? <span className="muted">preference {byHost.get(host)}</span> : null}{" "}
            <span className={`badge badge-${mx.dnssec === "secure" ? "good" : "plain"}`}>
              {DNSSEC_WORDS[mx.dnssec]}
            </span>{" "}
            {policy && policy.mode !== "none" ? (
              <span className={`badge badge-${isMxAuthorized(policy, host) ? "good" : "bad"}`}>
                {isMxAuthorized(policy, host)
                  ? "matches the MTA-STS policy"
                  : "not in the MTA-STS policy"}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      {mx.cutHosts.length > 0 ? (
        <p className="muted">
          Never tried (past the route's limit of MX hosts): {mx.cutHosts.join(", ")}.
        </p>
      ) : null}
      {mx.ede.length > 0 ? (
        <p className="muted">
          Resolver notes: {mx.ede.map((ede) => `${ede.code} ${ede.text}`).join("; ")}
        </p>
      ) : null}
    </>
  );
}

function MtaStsView({ sts }: { sts: MtaStsFacts }) {
  const { policy, fetch, record } = sts;
  return (
    <>
      <p>
        {record ? (
          <>
            TXT record <code>_mta-sts</code>: <code className="wrap-anywhere">{record.text}</code>
          </>
        ) : (
          <>
            No valid <code>_mta-sts</code> TXT record (
            {sts.txt.outcome === "records"
              ? "none parses as STSv1"
              : (sts.txt.error ?? sts.txt.rcode)}
            ).
          </>
        )}
      </p>
      {fetch ? (
        <p>
          Policy fetched from <code className="wrap-anywhere">{fetch.url}</code>
          {fetch.address ? ` (${fetch.address})` : ""}:{" "}
          {fetch.httpStatus !== null ? `HTTP ${fetch.httpStatus}, ` : ""}
          {fetch.bytes} bytes in {fetch.elapsedMs} ms
          {fetch.outcome === "body"
            ? "."
            : ` — ${fetch.outcome}${fetch.detail ? `: ${fetch.detail}` : ""}.`}
          {fetch.httpStatus !== null && fetch.httpStatus !== 200
            ? " RFC 8461 expects 200; Stalwart ignores the status and parses the body."
            : ""}
        </p>
      ) : null}
      {policy ? (
        <p>
          Policy <code>{policy.id}</code>: mode <strong>{policy.mode}</strong>, MX patterns{" "}
          {policy.mx
            .map((pattern) =>
              pattern.type === "startsWith" ? `*.${pattern.value}` : pattern.value,
            )
            .join(", ")}
          , max_age {policy.maxAge} s.
        </p>
      ) : sts.failure ? (
        <p>
          No policy: <span className="stalwart-text">{sts.failure.text}</span> (
          {sts.failure.temporary ? "temporary" : "permanent"} when MTA-STS is required).
        </p>
      ) : (
        <p>No MTA-STS policy.</p>
      )}
    </>
  );
}

/** Every fact collected so far, as sections under one heading level (`level` 2 or 3). */
export function FactsView({ facts, level = 2 }: { facts: DeliveryFacts; level?: 2 | 3 }) {
  const Heading = level === 2 ? "h2" : "h3";
  const Sub = level === 2 ? "h3" : "h4";
  const domain = facts.target.domain;
  const shown = domain.includes("xn--") ? `${domain} (${unicodeDomain(domain)})` : domain;
  return (
    <section className="card facts" aria-labelledby={`facts-${level}`}>
      <Heading id={`facts-${level}`}>What the test found for {shown}</Heading>
      <Provenance facts={facts} />
      <ResolverNotice facts={facts} />
      <Sub>MX hosts, in delivery order</Sub>
      {facts.mx ? (
        <MxList mx={facts.mx} policy={facts.mtaSts?.policy} />
      ) : (
        <p className="muted">Not looked up yet.</p>
      )}
      <Sub>MTA-STS</Sub>
      {facts.mtaSts ? (
        <MtaStsView sts={facts.mtaSts} />
      ) : (
        <p className="muted">Not looked up yet.</p>
      )}
      {facts.hosts.map((host) => (
        <HostFactsView
          key={host.name}
          host={host}
          heading={Sub}
          port={facts.source.smtpPort}
          isCollecting={facts.status === "collecting"}
        />
      ))}
      <details className="raw-facts">
        <summary>Raw facts as collected</summary>
        <pre className="wrap-anywhere">{JSON.stringify(facts, null, 2)}</pre>
      </details>
    </section>
  );
}
