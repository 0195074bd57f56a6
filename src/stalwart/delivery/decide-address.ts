import type { HostFacts, Policy, ReplyStep, TlsaRecord } from "./facts";
import {
  type DeliveryStrategy,
  type Outcome,
  type StalwartError,
  stalwartError,
  unexpectedResponse,
} from "./outcome";
import type { DecideOptions, Run } from "./run";

// §1.2 step 8 and tables D/E for one address of one MX host: connect, greeting, EHLO, the
// STARTTLS decision and the certificate check. Split from decide.ts to keep each file short.

export interface AddressInput {
  s: DeliveryStrategy;
  host: HostFacts;
  address: string;
  policy: Policy | null;
  dane: TlsaRecord[] | null;
  options: DecideOptions;
}

/** Delivered (or unknown/pending), or this address's failure and where delivery goes next. */
export type AddressResult = { outcome: Outcome } | { failure: StalwartError; next: "ip" | "mx" };

/** rustls `ServerName` rules, roughly: a DNS name of LDH(+underscore) labels, not an IP. */
const isValidTlsName = (name: string) =>
  name.length <= 253 &&
  !/^[\d.]+$/.test(name) &&
  name.split(".").every((label) => /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(label));

/** Greeting / EHLO (table D rows 2-3): 2xx (220 for the greeting) continues, else next MX. */
function smtpStepFailure(
  name: string,
  step: ReplyStep,
  command: string,
  stage: string,
  expect: (code: number) => boolean,
): StalwartError | null {
  switch (step.outcome) {
    case "reply":
      if (step.code !== null && expect(step.code)) return null;
      return unexpectedResponse(name, command, step.code ?? 0, step.lines);
    case "timeout":
      return stalwartError("ConnectionError", true, name, `Timeout while ${stage}`);
    case "unparseable":
      return stalwartError("ConnectionError", true, name, "Unparseable SMTP reply");
    default:
      return stalwartError("ConnectionError", true, name, `I/O error: ${step.error ?? "closed"}`);
  }
}

/**
 * How a step timed by S.tlsTimeout ends: "late" when Stalwart's timer would fire first
 * (client.rs l.439-457 for the STARTTLS reply, l.512-544 for the handshake, each its own
 * timer), "unknown" when the probe gave up before the strategy would, else "in-time".
 */
function timing(step: { outcome: string; elapsedMs: number }, tlsTimeout: number) {
  if (step.outcome === "timeout") return tlsTimeout <= step.elapsedMs ? "late" : "unknown";
  return step.elapsedMs > tlsTimeout ? "late" : "in-time";
}

/**
 * Table D and E for `input.address`. Returns the delivery outcome when a session is set up
 * (TLS or plaintext: the SMTP transaction then decides, no other MX is tried), `pending` /
 * `unknown` when facts are missing, or the failure with "ip" (connect failed: next address)
 * or "mx" (anything later: the remaining addresses are skipped).
 */
export function decideAddress(run: Run, input: AddressInput): AddressResult {
  const { s, host, address, policy, dane, options } = input;
  const name = host.name;
  const facts = host.addresses.find((a) => a.address === address);
  const log = (step: string, text: string) => run.log(name, step, text, address);
  const done = (outcome: Outcome): AddressResult => ({ outcome });
  const common = { host: name, address, trace: run.trace, notes: run.notes };
  if (!facts) return done(run.missing(`the probe of ${address} (${name})`, name, address));
  if (facts.refused)
    return done(
      run.unknown(
        `Address ${address} of ${name} was not probed (${facts.refused}); Stalwart would connect to it. PROBE_PRIVATE_ADDRESSES=1 allows it.`,
        name,
        address,
      ),
    );
  const connect = facts.connect;
  if (!connect) return done(run.missing(`the connection to ${address}`, name, address));
  if (!connect.ok) {
    const text = connect.timedOut ? "Connection timeout" : (connect.error ?? "I/O error");
    log("connect", `${text} — next address.`);
    return { failure: stalwartError("ConnectionError", true, name, text), next: "ip" };
  }
  const enforce = policy?.mode === "enforce";
  const strict =
    s.startTls === "require" ||
    s.dane === "require" ||
    s.mtaSts === "require" ||
    options.requireTls === true ||
    enforce ||
    dane !== null;
  const verify = dane ? "dane" : s.allowInvalidCerts && !enforce ? "none" : "pki";
  if (s.allowInvalidCerts && enforce)
    run.note("allowInvalidCerts is ignored: the domain's MTA-STS policy is in enforce mode.");
  const next = (failure: StalwartError): AddressResult => {
    log(failure.kind, `${failure.text} — next MX.`);
    return { failure, next: "mx" };
  };

  if (!facts.greeting) return done(run.missing(`the greeting of ${address}`, name, address));
  const greeting = smtpStepFailure(name, facts.greeting, "", "reading greeting", (c) => c === 220);
  if (greeting) return next(greeting);
  const ehlo = facts.ehlo;
  if (!ehlo) return done(run.missing(`the EHLO reply of ${address}`, name, address));
  const isEhloOk = (code: number) => code >= 200 && code < 300;
  const ehloFailure = smtpStepFailure(name, ehlo, ehlo.command, "reading EHLO response", isEhloOk);
  if (ehloFailure) return next(ehloFailure);

  if (s.startTls === "disable") {
    log("starttls", `STARTTLS is disabled by strategy "${s.name}": plaintext.`);
    return done({ kind: "plaintext", why: "startTls-disabled", ...common });
  }
  const isOffered = ehlo.capabilities.some((c) => c.toUpperCase() === "STARTTLS");
  if (!isOffered) {
    if (strict)
      return next(stalwartError("TlsError", false, name, "STARTTLS not advertised by host."));
    log("starttls", "STARTTLS not advertised and TLS is not strict: plaintext.");
    return done({ kind: "plaintext", why: "starttls-not-advertised", ...common });
  }
  const reply = facts.startTls;
  if (!reply) return done(run.missing(`the STARTTLS reply of ${address}`, name, address));
  const gaveUp = (what: string, elapsed: number) =>
    done(
      run.unknown(
        `The probe gave up on ${what} after ${elapsed} ms; strategy "${s.name}" waits up to ${s.tlsTimeout} ms.`,
        name,
        address,
      ),
    );
  const timedOut = stalwartError("TlsError", true, name, "TLS handshake timed out");
  const replyTiming = timing(reply, s.tlsTimeout);
  if (replyTiming === "unknown") return gaveUp("the STARTTLS reply", reply.elapsedMs);
  if (replyTiming === "late") return next(timedOut);
  if (reply.outcome === "unparseable")
    return next(stalwartError("TlsError", !strict, name, "Other TLS error"));
  if (reply.outcome !== "reply")
    return next(stalwartError("TlsError", true, name, `I/O error: ${reply.error ?? "closed"}`));
  if (reply.code !== 220) {
    if (strict) return next(unexpectedResponse(name, "STARTTLS", reply.code ?? 0, reply.lines));
    log("starttls", `STARTTLS answered ${reply.code} and TLS is not strict: plaintext.`);
    return done({ kind: "plaintext", why: "starttls-refused", ...common });
  }
  if (!isValidTlsName(name))
    return next(stalwartError("TlsError", !strict, name, "Invalid hostname"));

  const tls = facts.tls;
  if (!tls) return done(run.missing(`the TLS handshake with ${address}`, name, address));
  const tlsTiming = timing(tls, s.tlsTimeout);
  if (tlsTiming === "unknown") return gaveUp("the TLS handshake", tls.elapsedMs);
  if (tlsTiming === "late") return next(timedOut);
  if (tls.outcome !== "ok")
    return next(stalwartError("TlsError", true, name, `Handshake failed: ${tls.error ?? ""}`));
  const session = { ...common, protocol: tls.protocol, cipher: tls.cipher };
  if (verify === "dane") {
    const match = facts.dane;
    if (!match) return done(run.missing(`the DANE check of ${address}`, name, address));
    switch (match.outcome) {
      case "match":
        log("dane", `Certificate matches a DANE-${match.by === "ta" ? "TA" : "EE"} record.`);
        return done({ kind: "verified", by: "dane", ...session });
      case "no-certificates":
        return next(
          stalwartError("DaneError", true, name, "No certificates were provided by host"),
        );
      case "parse-error":
        return next(stalwartError("DaneError", true, name, "Failed to parse X.509 certificate"));
      default: {
        const text = "No matching certificates found in TLSA records";
        return next(stalwartError("DaneError", false, name, text));
      }
    }
  }
  if (verify === "none") {
    log("tls", "TLS without certificate checks (allowInvalidCerts).");
    return done({ kind: "tls-unchecked", pkiWouldPass: tls.pki.ok, ...common });
  }
  if (tls.pki.ok) {
    log("tls", "Certificate verified against the trusted roots (PKI).");
    return done({ kind: "verified", by: "pki", ...session });
  }
  const reason = `Handshake failed: invalid peer certificate: ${tls.pki.reason ?? "UnknownIssuer"}`;
  return next(stalwartError("TlsError", true, name, reason));
}
