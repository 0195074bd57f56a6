import type * as packet from "dns-packet";
import type {
  DnsOutcome,
  Ede,
  IpsFacts,
  MxFacts,
  ResolverFacts,
  TlsaFacts,
  TlsaRecord,
} from "../../../src/stalwart/delivery/facts";
import type { ProbeConfig } from "../config";
import { type DnsClient, DnsQueryError, type DnsResponse, extendedErrors } from "./dns-client";

// The lookups delivery makes, classified the way Stalwart sees them (shared delivery reference
// §4.3): AD=1 secure, AD=0 insecure, SERVFAIL re-asked with CD to tell "bogus" from a plain
// failure, with RFC 8914 EDE codes as the second witness.

/** RFC 8914 §5: the INFO-CODEs that mean "DNSSEC validation failed". */
const BOGUS_EDE = new Set([6, 7, 9, 10]);

/** hickory's `ResponseCode` Debug spelling, used in "Record not found: NXDomain". */
export function hickoryRcode(rcode: string): string {
  const names: Record<string, string> = {
    NOERROR: "NoError",
    FORMERR: "FormErr",
    SERVFAIL: "ServFail",
    NXDOMAIN: "NXDomain",
    NOTIMP: "NotImp",
    REFUSED: "Refused",
  };
  return names[rcode] ?? rcode;
}

export interface Classified {
  outcome: DnsOutcome;
  ad: boolean;
  /** Answers of the asked type (CNAMEs followed by the resolver are skipped). */
  answers: packet.Answer[];
  rcode: string;
  error?: string;
  ede: Ede[];
  elapsedMs: number;
}

/**
 * One lookup of (`name`, `type`) with DNSSEC classification: "records" / "nodata" / "nxdomain"
 * with `ad` as answered; "bogus" when a SERVFAIL carries EDE 6/7/9/10 or the CD re-query
 * returns data (its answers are kept); "error" otherwise, `error` saying why. Never throws
 * except DnsQueryError "aborted".
 */
export async function lookupClassified(
  client: DnsClient,
  name: string,
  type: packet.RecordType,
  signal?: AbortSignal,
): Promise<Classified> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const ofType = (response: DnsResponse) => response.answers.filter((a) => a.type === type);
  let response: DnsResponse;
  try {
    response = await client.query(name, type, { signal });
  } catch (error) {
    if (error instanceof DnsQueryError && error.kind === "aborted") throw error;
    const text = (error as Error).message;
    return {
      outcome: "error",
      ad: false,
      answers: [],
      rcode: "",
      error: text,
      ede: [],
      elapsedMs: elapsed(),
    };
  }
  const ede = extendedErrors(response);
  const rcode = hickoryRcode(response.rcode);
  if (response.rcode === "NOERROR") {
    const answers = ofType(response);
    const outcome = answers.length > 0 ? "records" : "nodata";
    return { outcome, ad: response.ad, answers, rcode, ede, elapsedMs: elapsed() };
  }
  if (response.rcode === "NXDOMAIN")
    return { outcome: "nxdomain", ad: response.ad, answers: [], rcode, ede, elapsedMs: elapsed() };
  const describe = (extra: string) =>
    `${response.rcode} from ${response.server}${ede.length ? ` (${ede.map((e) => `EDE ${e.code}${e.text ? ` ${e.text}` : ""}`).join(", ")})` : ""}${extra}`;
  const failed = (): Classified => ({
    outcome: "error",
    ad: false,
    answers: [],
    rcode,
    error: describe(""),
    ede,
    elapsedMs: elapsed(),
  });
  if (response.rcode !== "SERVFAIL") return failed();
  // A validating resolver answers SERVFAIL for bogus data; CD=1 asks for the data anyway.
  let retry: DnsResponse | null = null;
  try {
    retry = await client.query(name, type, { cd: true, signal });
  } catch (error) {
    if (error instanceof DnsQueryError && error.kind === "aborted") throw error;
  }
  const isCdData = retry !== null && (retry.rcode === "NOERROR" || retry.rcode === "NXDOMAIN");
  if (isCdData || ede.some((e) => BOGUS_EDE.has(e.code))) {
    const answers = retry && isCdData ? ofType(retry) : [];
    const error = describe(isCdData ? "; data returned with CD=1" : "");
    return { outcome: "bogus", ad: false, answers, rcode, error, ede, elapsedMs: elapsed() };
  }
  return failed();
}

/**
 * Stalwart's `ensure_dnssec` (shared delivery reference §4.3, resolver.rs l.239-258): the
 * resolver must answer over TCP, and `. DNSKEY` asked with DO must come back AD=1.
 */
export async function checkResolver(
  client: DnsClient,
  signal?: AbortSignal,
): Promise<ResolverFacts> {
  let answersOverTcp = false;
  let rootDnskeyAd = false;
  const notes: string[] = [];
  try {
    const tcp = await client.query(".", "DNSKEY", { transport: "tcp", signal });
    answersOverTcp = true;
    rootDnskeyAd = tcp.rcode === "NOERROR" && tcp.ad;
  } catch (error) {
    if (error instanceof DnsQueryError && error.kind === "aborted") throw error;
    notes.push(`no answer over TCP (${(error as Error).message})`);
    try {
      const udp = await client.query(".", "DNSKEY", { transport: "udp", signal });
      rootDnskeyAd = udp.rcode === "NOERROR" && udp.ad;
    } catch (udpError) {
      if (udpError instanceof DnsQueryError && udpError.kind === "aborted") throw udpError;
      notes.push(`no answer over UDP either (${(udpError as Error).message})`);
    }
  }
  if (!rootDnskeyAd) notes.push("`. DNSKEY` came back without AD=1");
  const validates = answersOverTcp && rootDnskeyAd;
  const detail = validates
    ? "The resolver answers over TCP and validates DNSSEC: Stalwart would use DANE."
    : `The resolver cannot be used for DNSSEC (${notes.join("; ")}): Stalwart turns DANE off.`;
  return { validates, answersOverTcp, rootDnskeyAd, detail };
}

const stripDot = (name: string) => (name === "." ? "." : name.replace(/\.$/, "").toLowerCase());

/**
 * The MX facts for `domain` (§1.2 step 3, table B): records, the answer's DNSSEC status,
 * null MX, implicit MX (NXDOMAIN/NODATA), and the hosts in delivery order: ascending
 * preference, equal preferences through `config.shuffle`, cut at `config.maxMxHosts`.
 */
export async function lookupMx(
  client: DnsClient,
  domain: string,
  config: Pick<ProbeConfig, "shuffle" | "maxMxHosts">,
  signal?: AbortSignal,
): Promise<MxFacts> {
  const found = await lookupClassified(client, domain, "MX", signal);
  const records = found.answers.map((answer) => {
    const data = (answer as packet.MxAnswer).data;
    return { preference: data.preference ?? 0, exchange: stripDot(data.exchange || ".") };
  });
  const isNullMx =
    records.length === 1 && (records[0]?.exchange === "." || records[0]?.exchange === "");
  const isImplicit =
    found.outcome === "nxdomain" ||
    found.outcome === "nodata" ||
    (found.outcome === "bogus" && records.length === 0);
  const preferences = [...new Set(records.map((r) => r.preference))].sort((a, b) => a - b);
  const ordered = isImplicit
    ? [domain]
    : found.outcome === "error" || isNullMx
      ? []
      : preferences.flatMap((preference) =>
          config.shuffle([
            ...new Set(records.filter((r) => r.preference === preference).map((r) => r.exchange)),
          ]),
        );
  const dnssec = found.outcome === "bogus" ? "bogus" : found.ad ? "secure" : "insecure";
  return {
    outcome: found.outcome,
    dnssec: found.outcome === "error" ? "indeterminate" : dnssec,
    records,
    ...(found.error ? { error: found.error } : {}),
    ede: found.ede,
    elapsedMs: found.elapsedMs,
    isNullMx,
    isImplicit,
    hosts: ordered.slice(0, config.maxMxHosts),
    cutHosts: ordered.slice(config.maxMxHosts),
  };
}

/** Dane usable-record filter of dnssec.rs l.195-226 (shared delivery reference §4.5). */
export const isUsableTlsa = (r: TlsaRecord) =>
  (r.usage === 2 || r.usage === 3) && (r.selector === 0 || r.selector === 1) && r.matchingType <= 2;

/** TLSA `_25._tcp.<host>.` with its DNSSEC status and the usable records (table C). */
export async function lookupTlsa(
  client: DnsClient,
  host: string,
  signal?: AbortSignal,
): Promise<TlsaFacts> {
  const found = await lookupClassified(client, `_25._tcp.${host}`, "TLSA", signal);
  const records = found.answers.map((answer) => {
    const data = (answer as packet.TlsaAnswer).data;
    return {
      usage: data.usage,
      selector: data.selector,
      matchingType: data.matchingType,
      data: Buffer.from(data.certificate).toString("hex"),
    };
  });
  const secure = found.ad && found.outcome !== "bogus";
  return {
    outcome: found.outcome,
    secure,
    records,
    usable: secure && found.outcome === "records" ? records.filter(isUsableTlsa) : [],
    ...(found.error ? { error: found.error } : {}),
    ede: found.ede,
    elapsedMs: found.elapsedMs,
  };
}

/**
 * The addresses of MX host `host` as the route's `ipLookupStrategy` gives them (mail-auth:
 * "v4 then v6" asks AAAA only when A fails), cut at `maxMultihomed` (§1.2 step 6). Both
 * families are asked at once to save time; the result is the same. When both fail, the last
 * family's failure is reported. Refused addresses are kept here: the orchestrator names them
 * and decide.ts applies Stalwart's loopback drop.
 */
export async function lookupAddresses(
  client: DnsClient,
  host: string,
  config: Pick<ProbeConfig, "ipLookupStrategy" | "maxMultihomed">,
  signal?: AbortSignal,
): Promise<IpsFacts> {
  const started = performance.now();
  const strategy = config.ipLookupStrategy;
  const families: ("A" | "AAAA")[] =
    strategy === "ipv4Only"
      ? ["A"]
      : strategy === "ipv6Only"
        ? ["AAAA"]
        : strategy === "ipv6ThenIpv4"
          ? ["AAAA", "A"]
          : ["A", "AAAA"];
  const results = await Promise.all(
    families.map((family) => lookupClassified(client, host, family, signal)),
  );
  const elapsedMs = Math.round(performance.now() - started);
  const found = results.find((result) => result.outcome === "records");
  if (!found) {
    const last = results[results.length - 1];
    const outcome =
      last?.outcome === "nxdomain" || last?.outcome === "nodata" ? last.outcome : "error";
    const error = last?.error;
    return { outcome, addresses: [], cut: [], ...(error ? { error } : {}), elapsedMs };
  }
  const all = found.answers.map((answer) => String((answer as packet.StringAnswer).data));
  return {
    outcome: "addresses",
    addresses: all.slice(0, config.maxMultihomed),
    cut: all.slice(config.maxMultihomed),
    elapsedMs,
  };
}
