import type { Policy, TlsaFacts } from "../../../src/stalwart/delivery/facts";

// The live delivery test's events (`DeliveryStage` of Stalwart's diagnose.rs, shared delivery
// reference §3.2) as serde writes them: tagged by a camelCase `type`, fields in declaration
// order, nested Policy/Tlsa in snake_case. JSON.stringify keeps insertion order, so each
// event object is built with its fields in that order.

type Elapsed = { elapsed: number };
type Reason = { reason: string };

/** DeliveryStage of diagnose.rs, field order as serde writes it. */
export type LiveEvent =
  | { type: "mxLookupStart"; domain: string }
  | ({ type: "mxLookupSuccess"; mxs: { exchanges: string[]; preference: number }[] } & Elapsed)
  | ({ type: "mxLookupError" } & Reason & Elapsed)
  | { type: "mtaStsFetchStart" }
  | ({ type: "mtaStsFetchSuccess"; policy: LivePolicy } & Elapsed)
  | ({ type: "mtaStsFetchError" } & Reason & Elapsed)
  | ({ type: "mtaStsNotFound" } & Elapsed)
  | { type: "tlsRptLookupStart" }
  | ({ type: "tlsRptLookupSuccess"; rua: LiveReportUri[] } & Elapsed)
  | ({ type: "tlsRptLookupError" } & Reason & Elapsed)
  | ({ type: "tlsRptNotFound" } & Elapsed)
  | { type: "deliveryAttemptStart"; hostname: string }
  | { type: "mtaStsVerifySuccess" }
  | ({ type: "mtaStsVerifyError" } & Reason)
  | { type: "tlsaLookupStart" }
  | ({ type: "tlsaLookupSuccess"; record: LiveTlsa } & Elapsed)
  | ({ type: "tlsaNotFound" } & Elapsed & Reason)
  | ({ type: "tlsaLookupError" } & Elapsed & Reason)
  | { type: "ipLookupStart" }
  | ({ type: "ipLookupSuccess"; remoteIps: string[] } & Elapsed)
  | ({ type: "ipLookupError" } & Reason & Elapsed)
  | { type: "connectionStart"; remoteIp: string }
  | ({ type: "connectionSuccess" } & Elapsed)
  | ({ type: "connectionError" } & Elapsed & Reason)
  | { type: "readGreetingStart" }
  | ({ type: "readGreetingSuccess" } & Elapsed)
  | ({ type: "readGreetingError" } & Elapsed & Reason)
  | { type: "ehloStart" }
  | ({ type: "ehloSuccess" } & Elapsed)
  | ({ type: "ehloError" } & Elapsed & Reason)
  | { type: "startTlsStart" }
  | ({ type: "startTlsSuccess" } & Elapsed)
  | ({ type: "startTlsError" } & Elapsed & Reason)
  | { type: "daneVerifySuccess" }
  | ({ type: "daneVerifyError" } & Reason)
  | { type: "mailFromStart" }
  | ({ type: "mailFromSuccess" } & Elapsed)
  | ({ type: "mailFromError" } & Reason & Elapsed)
  | { type: "rcptToStart" }
  | ({ type: "rcptToSuccess" } & Elapsed)
  | ({ type: "rcptToError" } & Reason & Elapsed)
  | { type: "quitStart" }
  | ({ type: "quitCompleted" } & Elapsed)
  | { type: "completed" };

/** `common::config::smtp::resolver::Policy` as serde writes it (no rename: snake_case). */
export interface LivePolicy {
  id: string;
  mode: Policy["mode"];
  mx: ({ equals: string } | { startsWith: string })[];
  max_age: number;
}

/** `Tlsa` / `TlsaEntry` as serde writes them (shared delivery reference §3.2). */
export interface LiveTlsa {
  entries: {
    is_end_entity: boolean;
    is_spki: boolean;
    matching: "Full" | "Sha256" | "Sha512";
    data: number[];
  }[];
  has_end_entities: boolean;
  has_intermediates: boolean;
}

export type LiveReportUri = { type: "mail"; email: string } | { type: "http"; url: string };

/** One SSE frame exactly as diagnose.rs `to_frame` writes it: the data is a one-item array. */
export function formatSseFrame(event: LiveEvent): string {
  return `event: event\ndata: [${JSON.stringify(event)}]\n\n`;
}

export const livePolicy = (policy: Policy): LivePolicy => ({
  id: policy.id,
  mode: policy.mode,
  mx: policy.mx.map((p) => (p.type === "equals" ? { equals: p.value } : { startsWith: p.value })),
  max_age: policy.maxAge,
});

export function liveTlsa(tlsa: TlsaFacts): LiveTlsa {
  const entries = tlsa.usable.map((r) => ({
    is_end_entity: r.usage === 3,
    is_spki: r.selector === 1,
    matching: (["Full", "Sha256", "Sha512"] as const)[r.matchingType] ?? "Full",
    data: [...Buffer.from(r.data, "hex")],
  }));
  return {
    entries,
    has_end_entities: entries.some((e) => e.is_end_entity),
    has_intermediates: entries.some((e) => !e.is_end_entity),
  };
}

/** hickory's ResponseCode Display, for mail-auth's "DNS record not found: …" (inferred). */
const RCODE_DISPLAY: Record<string, string> = {
  NoError: "No Error",
  FormErr: "Form Error",
  ServFail: "Server Failure",
  NXDomain: "Non-Existent Domain",
  NotImp: "Not Implemented",
  Refused: "Query Refused",
};
export const notFound = (rcode: string) => `DNS record not found: ${RCODE_DISPLAY[rcode] ?? rcode}`;

/** mail-auth's TLS-RPT record: `v=TLSRPTv1; rua=<uri>,<uri>` (RFC 8460 §3). */
export function parseTlsRpt(text: string): LiveReportUri[] | null {
  const tags = text
    .split(";")
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags[0]?.replace(/\s/g, "").toLowerCase() !== "v=tlsrptv1") return null;
  const rua = tags.find((t) => /^rua\s*=/i.test(t));
  if (!rua) return null;
  const uris = rua
    .slice(rua.indexOf("=") + 1)
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  const parsed = uris.map((uri): LiveReportUri | null =>
    /^mailto:/i.test(uri)
      ? { type: "mail", email: decodeURIComponent(uri.slice(7)) }
      : /^https:/i.test(uri)
        ? { type: "http", url: uri }
        : null,
  );
  return parsed.every((u) => u !== null) && parsed.length > 0 ? (parsed as LiveReportUri[]) : null;
}
