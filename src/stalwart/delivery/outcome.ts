import type { MtaTlsStrategy } from "../../jmap/protocol";

// What decide.ts answers: the outcome of one delivery attempt under a strategy, with Stalwart's
// own error kinds and texts (shared delivery reference §1.8, "Error-kind names").

/** The strategy fields delivery reads (shared delivery reference §1.1); times in ms. */
export type DeliveryStrategy = Pick<
  MtaTlsStrategy,
  "name" | "allowInvalidCerts" | "dane" | "mtaSts" | "startTls" | "tlsTimeout" | "mtaStsTimeout"
>;

/** The `Error` enum of `smtp/src/queue/mod.rs` l.207-219, as far as a TLS preview reaches. */
export type ErrorKind =
  | "MtaStsError"
  | "DaneError"
  | "TlsError"
  | "DnsError"
  | "ConnectionError"
  | "UnexpectedResponse";

/** JMAP `x:DeliveryError.errorType` (enums_impl.rs l.1680-1708). */
export const ERROR_TYPES = {
  MtaStsError: "mtaStsError",
  DaneError: "daneError",
  TlsError: "tlsError",
  DnsError: "dnsError",
  ConnectionError: "connectionError",
  UnexpectedResponse: "unexpectedResponse",
} as const satisfies Record<ErrorKind, string>;

/** The `last_error` expression variable (queue/mod.rs l.334-350). */
export const LAST_ERRORS = {
  MtaStsError: "mta-sts",
  DaneError: "dane",
  TlsError: "tls",
  DnsError: "dns",
  ConnectionError: "connection",
  UnexpectedResponse: "unexpected-reply",
} as const satisfies Record<ErrorKind, string>;

export interface StalwartError {
  kind: ErrorKind;
  errorType: (typeof ERROR_TYPES)[ErrorKind];
  lastError: (typeof LAST_ERRORS)[ErrorKind];
  temporary: boolean;
  /** `errorMessage`: Stalwart's text, e.g. `MX "mx1.example.com" not authorized by policy.` */
  text: string;
  /** `responseHostname`: the MX host, or the domain for a route-level failure. */
  entity: string;
  /** UnexpectedResponse only: the command (`""` for the greeting) and the reply. */
  response?: { command: string; code: number; message: string };
}

/** One thing that happened, in order, so the page can explain the outcome. */
export interface TraceEntry {
  /** null for route-level steps (MTA-STS fetch, MX lookup). */
  host: string | null;
  address?: string;
  step: string;
  text: string;
}

interface Common {
  trace: TraceEntry[];
  /** Things worth knowing that did not change the outcome (DANE off, testing mode, …). */
  notes: string[];
}

export type PlaintextWhy = "startTls-disabled" | "starttls-not-advertised" | "starttls-refused";

export type Outcome = Common &
  (
    | {
        kind: "verified";
        by: "pki" | "dane";
        host: string;
        address: string;
        protocol?: string;
        cipher?: string;
      }
    | { kind: "tls-unchecked"; host: string; address: string; pkiWouldPass: boolean }
    | { kind: "plaintext"; why: PlaintextWhy; host: string; address: string }
    | { kind: "deferred" | "bounced"; error: StalwartError; host: string | null; address?: string }
    /** Facts still being collected. */
    | { kind: "pending"; reason: string }
    /** Facts that will not come: refused address, the probe gave up first, stopped early. */
    | { kind: "unknown"; reason: string; host?: string; address?: string }
  );

/** A Stalwart error of `kind` with its JMAP errorType and last_error word filled in. */
export function stalwartError(
  kind: ErrorKind,
  temporary: boolean,
  entity: string,
  text: string,
  response?: StalwartError["response"],
): StalwartError {
  return {
    kind,
    errorType: ERROR_TYPES[kind],
    lastError: LAST_ERRORS[kind],
    temporary,
    text,
    entity,
    ...(response ? { response } : {}),
  };
}

/**
 * smtp_proto's Display of a reply: "Code: 454, Enhanced code: 4.7.0, Message: TLS not
 * available" (the enhanced code is read from the start of the text, 0.0.0 when absent;
 * inferred from smtp-proto, not read at the pinned version).
 */
export function smtpResponseText(code: number, lines: readonly string[]): string {
  const message = lines.join("\n");
  const enhanced = /^([245])\.(\d{1,3})\.(\d{1,3})(?:\s+|$)/.exec(message);
  const rest = enhanced ? message.slice(enhanced[0].length) : message;
  const triple = enhanced ? `${enhanced[1]}.${enhanced[2]}.${enhanced[3]}` : "0.0.0";
  return `Code: ${code}, Enhanced code: ${triple}, Message: ${rest}`;
}

/** An `UnexpectedResponse` for `command` (5xx permanent, else temporary, OM l.45-109). */
export function unexpectedResponse(
  entity: string,
  command: string,
  code: number,
  lines: readonly string[],
): StalwartError {
  const message = lines.join("\n");
  return stalwartError(
    "UnexpectedResponse",
    code < 500,
    entity,
    `Unexpected response for "${command}": ${smtpResponseText(code, lines)}`,
    { command, code, message },
  );
}

/** mail-auth's Display of a resolver error (shared delivery reference table B, inferred). */
export const dnsErrorText = (detail: string) => `DNS resolution error: ${detail}`;
