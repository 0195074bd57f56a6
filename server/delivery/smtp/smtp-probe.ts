import { X509Certificate } from "node:crypto";
import { checkServerIdentity, type PeerCertificate, type TLSSocket } from "node:tls";
import type {
  AddressFacts,
  CertificateFacts,
  TlsHandshakeFacts,
} from "../../../src/stalwart/delivery/facts";
import type { AddressPatch } from "../../../src/stalwart/delivery/frames";
import type { ProbeTimeouts } from "../config";
import { openSmtp, type SmtpConnection } from "./smtp-connection";

// The SMTP / STARTTLS probe of one address (shared delivery reference §4.6): one connection
// yields every fact tables D and E need for all strategies at once — greeting, EHLO, the
// STARTTLS reply, a handshake with certificate checks off, then the PKI verdict separately.

/** OpenSSL's verify codes as rustls names the same failure (Debug form; inferred wording). */
function rustlsReason(code: string): string {
  switch (code) {
    case "CERT_HAS_EXPIRED":
      return "Expired";
    case "CERT_NOT_YET_VALID":
      return "NotValidYet";
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return "NotValidForName";
    case "CERT_REVOKED":
      return "Revoked";
    case "CERT_SIGNATURE_FAILURE":
      return "BadSignature";
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "UNABLE_TO_GET_ISSUER_CERT":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
      return "UnknownIssuer";
    default:
      return `Other(${code})`;
  }
}

/** The presented chain, leaf first, as DER (follows issuerCertificate until it repeats). */
export function peerChain(socket: TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let cert: PeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert?.raw && !seen.has(cert.fingerprint256) && chain.length < 10) {
    seen.add(cert.fingerprint256);
    chain.push(cert.raw);
    cert = (cert as { issuerCertificate?: PeerCertificate }).issuerCertificate;
  }
  return chain;
}

/** What the page shows of one certificate. */
export function describeCertificate(der: Buffer): CertificateFacts {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    const unknown = "(certificate that does not parse)";
    const epoch = new Date(0).toISOString();
    return {
      subject: unknown,
      issuer: unknown,
      subjectAltNames: [],
      notBefore: epoch,
      notAfter: epoch,
      sha256: "",
    };
  }
  return {
    subject: cert.subject.replaceAll("\n", ", "),
    issuer: cert.issuer.replaceAll("\n", ", "),
    subjectAltNames: (cert.subjectAltName ?? "").split(", ").filter(Boolean),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    sha256: cert.fingerprint256,
  };
}

/** Chain to the trusted roots (OpenSSL's `authorized`) AND the name (RFC 6125), for `host`. */
function pkiVerdict(socket: TLSSocket, host: string): TlsHandshakeFacts["pki"] {
  if (!socket.authorized) {
    const error = socket.authorizationError as unknown as { code?: string } | string | undefined;
    const code = typeof error === "string" ? error : (error?.code ?? String(error));
    return { ok: false, reason: rustlsReason(code) };
  }
  const nameError = checkServerIdentity(host, socket.getPeerCertificate());
  return nameError ? { ok: false, reason: "NotValidForName" } : { ok: true };
}

export interface AddressProbeInput {
  host: string;
  address: string;
  port: number;
  ehloName: string;
  timeouts: ProbeTimeouts;
  /** PEM roots for the PKI verdict. */
  ca: string[];
  signal?: AbortSignal;
  /** Called with each new fact as it arrives. */
  onPatch?: (patch: AddressPatch) => void;
  /** Runs over the TLS session before QUIT (the live test's EHLO / MAIL FROM / RCPT TO). */
  afterTls?: (connection: SmtpConnection, tls: TlsHandshakeFacts, chain: Buffer[]) => Promise<void>;
}

export interface AddressProbeResult {
  facts: AddressFacts;
  /** DER, leaf first: what DANE is checked against. */
  chain: Buffer[];
  /** QUIT's reply time, ms (the live test reports it). */
  quitElapsedMs?: number;
}

/**
 * Probes `input.address` for MX host `input.host`: connect, greeting, EHLO, STARTTLS (when
 * advertised), the handshake (rejectUnauthorized false) and its PKI verdict, then QUIT.
 * Each step is bounded by its own timeout (ms) and reported through `onPatch` as it ends.
 * Never rejects; a stopped signal ends the probe at the step under way.
 */
export async function probeAddress(input: AddressProbeInput): Promise<AddressProbeResult> {
  const { host, address, timeouts } = input;
  let facts: AddressFacts = { address, done: false };
  const patch = (change: Omit<AddressPatch, "address">) => {
    facts = { ...facts, ...change };
    input.onPatch?.({ address, ...change });
  };
  let chain: Buffer[] = [];
  const opened = await openSmtp(address, input.port, timeouts.connectMs, input.signal);
  const connectBase = { elapsedMs: opened.elapsedMs, timeoutMs: timeouts.connectMs };
  if (!opened.ok) {
    const connect = { ok: false, timedOut: opened.timedOut, error: opened.error, ...connectBase };
    patch({ connect, done: true });
    return { facts, chain };
  }
  patch({ connect: { ok: true, timedOut: false, ...connectBase } });
  const connection = opened.connection;
  let quitElapsedMs: number | undefined;
  const session = async () => {
    const greeting = await connection.readReply(timeouts.greetingMs);
    patch({ greeting });
    if (greeting.outcome !== "reply" || greeting.code !== 220) return;
    const command = `EHLO ${input.ehloName}`;
    connection.send(command);
    const ehlo = await connection.readReply(timeouts.ehloMs);
    const capabilities = ehlo.lines
      .slice(1)
      .map((line) => (line.split(" ")[0] ?? "").toUpperCase());
    patch({ ehlo: { ...ehlo, capabilities, command } });
    if (ehlo.outcome !== "reply" || ehlo.code === null || ehlo.code >= 300) return;
    if (!capabilities.includes("STARTTLS")) {
      quitElapsedMs = await quit(connection, timeouts.quitMs);
      return;
    }
    connection.send("STARTTLS");
    const startTls = await connection.readReply(timeouts.startTlsMs);
    patch({ startTls });
    if (startTls.outcome !== "reply" || startTls.code !== 220) {
      if (startTls.outcome === "reply") quitElapsedMs = await quit(connection, timeouts.quitMs);
      return;
    }
    const upgrade = await connection.startTls(host, input.ca, timeouts.tlsMs);
    const tlsBase = { elapsedMs: upgrade.elapsedMs, timeoutMs: timeouts.tlsMs, chain: [] };
    if (!upgrade.ok) {
      const outcome = upgrade.timedOut ? "timeout" : "failed";
      patch({ tls: { outcome, error: upgrade.error, pki: { ok: false }, ...tlsBase } });
      return;
    }
    chain = peerChain(upgrade.socket);
    const tls: TlsHandshakeFacts = {
      ...tlsBase,
      outcome: "ok",
      protocol: upgrade.socket.getProtocol() ?? undefined,
      cipher: upgrade.socket.getCipher()?.name,
      chain: chain.map(describeCertificate),
      pki: pkiVerdict(upgrade.socket, host),
    };
    patch({ tls });
    if (input.afterTls) await input.afterTls(connection, tls, chain);
    quitElapsedMs = await quit(connection, timeouts.quitMs);
  };
  try {
    await session();
  } finally {
    connection.destroy();
    patch({ done: true });
  }
  return { facts, chain, ...(quitElapsedMs === undefined ? {} : { quitElapsedMs }) };
}

/** QUIT and its reply (bounded), returning how long it took in ms. */
async function quit(connection: SmtpConnection, timeoutMs: number): Promise<number> {
  connection.send("QUIT");
  return (await connection.readReply(timeoutMs)).elapsedMs;
}
