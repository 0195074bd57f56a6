import type { ReactNode } from "react";
import type {
  AddressFacts,
  CertificateFacts,
  HostFacts,
  TlsaRecord,
} from "../../stalwart/delivery/facts";

// One MX host as an admin reads it: its addresses, its TLSA records and whether they matched,
// and per address the connection, STARTTLS, the certificate and its PKI verdict.

const USAGE = ["PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"];

function tlsaText(record: TlsaRecord) {
  const data = record.data.length > 24 ? `${record.data.slice(0, 24)}…` : record.data;
  return `${record.usage} ${record.selector} ${record.matchingType} ${data} (${USAGE[record.usage] ?? "unknown usage"})`;
}

const day = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
};

function Certificate({ certificate }: { certificate: CertificateFacts }) {
  const isExpired = new Date(certificate.notAfter).getTime() < Date.now();
  return (
    <>
      Certificate for{" "}
      {certificate.subjectAltNames.map((name) => name.replace(/^DNS:/, "")).join(", ") ||
        certificate.subject}
      , issued by {certificate.issuer}, {isExpired ? "expired" : "valid until"}{" "}
      {day(certificate.notAfter)}.
    </>
  );
}

/** The port-25 hint: a connection that times out is often the network, not the destination. */
const PORT_25_HINT =
  "Many networks and cloud providers block outbound port 25: if every host times out, check this server's network before blaming the destination.";

function AddressView({
  address,
  port,
  isCollecting,
}: {
  address: AddressFacts;
  port: number;
  isCollecting: boolean;
}) {
  const { connect, ehlo, startTls, tls, dane } = address;
  const items: ReactNode[] = [];
  if (address.refused) items.push(`Not probed: ${address.refused}.`);
  if (connect && !connect.ok)
    items.push(
      connect.timedOut ? (
        <>
          Connection to port {port} timed out after{" "}
          {connect.elapsedMs >= 1000
            ? `${Math.round(connect.elapsedMs / 100) / 10} s`
            : `${connect.elapsedMs} ms`}
          . {port === 25 ? PORT_25_HINT : null}
        </>
      ) : (
        `Connection failed: ${connect.error ?? "error"}.`
      ),
    );
  if (connect?.ok) items.push(`Connected in ${connect.elapsedMs} ms.`);
  if (address.greeting && address.greeting.code !== 220)
    items.push(
      `Greeting: ${address.greeting.code ?? address.greeting.outcome} ${address.greeting.lines.join(" ")}`,
    );
  if (ehlo) {
    const offered = ehlo.capabilities.some((c) => c.toUpperCase() === "STARTTLS");
    items.push(offered ? "STARTTLS offered." : "STARTTLS not offered.");
  }
  if (startTls && startTls.code !== 220)
    items.push(
      `STARTTLS answered ${startTls.code ?? startTls.outcome}: ${startTls.lines.join(" ")}`,
    );
  if (tls) {
    if (tls.outcome !== "ok") items.push(`TLS handshake ${tls.outcome}: ${tls.error ?? ""}`);
    else items.push(`TLS: ${[tls.protocol, tls.cipher].filter(Boolean).join(", ")}.`);
    const leaf = tls.chain[0];
    if (leaf) items.push(<Certificate certificate={leaf} />);
    if (tls.outcome === "ok")
      items.push(
        tls.pki.ok ? "PKI check: passes." : `PKI check: fails (${tls.pki.reason ?? "invalid"}).`,
      );
  }
  if (dane)
    items.push(
      dane.outcome === "match"
        ? `TLSA: matches (${dane.by === "ee" ? "DANE-EE" : "DANE-TA"}).`
        : `TLSA: ${dane.reason}`,
    );
  if (!address.done && !address.refused && isCollecting) items.push("Probing…");
  return (
    <li>
      <span className="fact-name">{address.address}</span>
      <ul className="fact-details">
        {items.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: fixed order of facts for one address
          <li key={index}>{item}</li>
        ))}
      </ul>
    </li>
  );
}

export function HostFactsView({
  host,
  heading: Heading,
  port,
  isCollecting,
}: {
  host: HostFacts;
  heading: "h3" | "h4";
  /** The SMTP port probed. */
  port: number;
  /** The probe is still running (an address not done yet is being probed). */
  isCollecting: boolean;
}) {
  const tlsa = host.tlsa;
  return (
    <section className="host-facts" aria-label={`Host ${host.name}`}>
      <Heading>{host.name}</Heading>
      {host.ips && host.ips.outcome !== "addresses" ? (
        <p>
          Addresses: {host.ips.outcome}
          {host.ips.error ? ` (${host.ips.error})` : ""}.
        </p>
      ) : null}
      {tlsa ? (
        tlsa.records.length > 0 ? (
          <>
            <p>
              TLSA records ({tlsa.secure ? "DNSSEC secure" : "not DNSSEC secure: ignored"}
              {tlsa.usable.length < tlsa.records.length ? `, ${tlsa.usable.length} usable` : ""}):
            </p>
            <ul className="fact-details">
              {tlsa.records.map((record) => (
                <li key={`${record.usage}${record.selector}${record.matchingType}${record.data}`}>
                  <code className="wrap-anywhere">{tlsaText(record)}</code>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>
            No TLSA records ({tlsa.outcome}
            {tlsa.error ? `: ${tlsa.error}` : ""}).
          </p>
        )
      ) : null}
      <ul className="fact-list">
        {host.addresses.map((address) => (
          <AddressView
            key={address.address}
            address={address}
            port={port}
            isCollecting={isCollecting}
          />
        ))}
      </ul>
    </section>
  );
}
