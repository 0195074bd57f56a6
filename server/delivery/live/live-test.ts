import type * as packet from "dns-packet";
import type { TlsaFacts } from "../../../src/stalwart/delivery/facts";
import { dnsErrorText } from "../../../src/stalwart/delivery/outcome";
import { isMxAuthorized } from "../../../src/stalwart/delivery/policy-match";
import { refusalReason } from "../address-filter";
import type { ProbeConfig } from "../config";
import { createDnsClient, type DnsClient } from "../dns/dns-client";
import { lookupAddresses, lookupClassified, lookupMx, lookupTlsa } from "../dns/dns-lookup";
import { collectMtaSts } from "../mta-sts/mta-sts";
import { ProbeInputError } from "../probe-destination";
import { parseTarget } from "../target";
import { trustedRoots } from "../tls/trust-store";
import { type LiveEvent, livePolicy, liveTlsa, notFound, parseTlsRpt } from "./live-events";
import { ipSession } from "./live-session";

// Stalwart's own live delivery test (`GET /api/live/delivery/{target}`, shared delivery
// reference §3) rebuilt on the same collectors, event for event: the same types, field names
// and order (serde's camelCase tags, snake_case nested Policy/Tlsa) and the same differences
// from real delivery (§3.3): non-validating MX, every MX, TLSA reported by reason, STARTTLS
// always with PKI, stop at the first host that succeeds. Beyond Stalwart, for safety: the
// address filter, and at most 16 hosts and 16 addresses per host (Stalwart takes them all).

const MAX_HOSTS = 16;
const MAX_ADDRESSES = 16;

export { formatSseFrame, type LiveEvent } from "./live-events";

async function tlsRptEvents(
  client: DnsClient,
  domain: string,
  signal?: AbortSignal,
): Promise<LiveEvent> {
  const found = await lookupClassified(client, `_smtp._tls.${domain}`, "TXT", signal);
  const elapsed = found.elapsedMs;
  if (found.outcome === "nxdomain" || found.outcome === "nodata")
    return { type: "tlsRptNotFound", elapsed };
  if (found.outcome !== "records")
    return { type: "tlsRptLookupError", reason: dnsErrorText(found.error ?? ""), elapsed };
  for (const answer of found.answers) {
    const data = (answer as packet.TxtAnswer).data;
    const text = (Array.isArray(data) ? data : [data]).map((c) => c.toString()).join("");
    const rua = parseTlsRpt(text);
    if (rua) return { type: "tlsRptLookupSuccess", rua, elapsed };
  }
  return { type: "tlsRptLookupError", reason: "Invalid record", elapsed };
}

export interface LiveTestOptions {
  /** The SSE `timeout` (ms): every network step's bound, and the policy fetch's. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Stalwart's live delivery test for `target` (a domain or address, lower-cased), as a plain
 * async generator of its events; the last one is always `completed`. Every step is bounded by
 * `timeoutMs` (default 30000). Throws ProbeInputError before any event for a target
 * parseTarget refuses. Source: shared delivery reference §3 (diagnose.rs l.211-756).
 */
export async function* liveDeliveryTest(
  target: string,
  config: ProbeConfig,
  options: LiveTestOptions = {},
): AsyncGenerator<LiveEvent> {
  const parsed = parseTarget(target.toLowerCase());
  if ("error" in parsed) throw new ProbeInputError(parsed.error);
  try {
    yield* stages(parsed.target.domain, parsed.target.address, config, options);
  } catch {
    // A stopped signal or a lost resolver ends the stages; the stream still completes.
  }
  // The HTTP layer always sends a final `completed` (mod.rs l.221).
  yield { type: "completed" };
}

async function* stages(
  domain: string,
  address: string | undefined,
  config: ProbeConfig,
  options: LiveTestOptions,
): AsyncGenerator<LiveEvent> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const signal = options.signal;
  const timeouts = {
    ...config.timeouts,
    connectMs: timeoutMs,
    greetingMs: timeoutMs,
    ehloMs: timeoutMs,
    startTlsMs: timeoutMs,
    tlsMs: timeoutMs,
    mtaStsMs: timeoutMs,
    quitMs: timeoutMs,
  };
  const client = createDnsClient(
    config.dnsServers,
    config.timeouts.dnsMs,
    config.timeouts.dnsAttempts,
  );
  const ca = trustedRoots(config);
  {
    yield { type: "mxLookupStart", domain };
    const mx = await lookupMx(
      client,
      domain,
      { shuffle: config.shuffle, maxMxHosts: MAX_HOSTS },
      signal,
    );
    if (mx.outcome === "nxdomain" || mx.outcome === "nodata") {
      yield {
        type: "mxLookupError",
        reason: notFound(mx.outcome === "nxdomain" ? "NXDomain" : "NoError"),
        elapsed: mx.elapsedMs,
      };
      return;
    }
    if (mx.outcome !== "records") {
      yield { type: "mxLookupError", reason: dnsErrorText(mx.error ?? ""), elapsed: mx.elapsedMs };
      return;
    }
    if (mx.isNullMx) {
      yield { type: "mxLookupError", reason: "Null MX record", elapsed: mx.elapsedMs };
      return;
    }
    // mail-auth groups exchanges by preference; hickory names keep their trailing dot.
    const preferences = [...new Set(mx.records.map((r) => r.preference))].sort((a, b) => a - b);
    const mxs = preferences.map((preference) => ({
      exchanges: mx.records.filter((r) => r.preference === preference).map((r) => `${r.exchange}.`),
      preference,
    }));
    yield { type: "mxLookupSuccess", mxs, elapsed: mx.elapsedMs };

    yield { type: "mtaStsFetchStart" };
    const sts = await collectMtaSts(domain, {
      client,
      config: { ...config, timeouts },
      ca,
      signal,
    });
    const stsElapsed = sts.txt.elapsedMs + (sts.fetch?.elapsedMs ?? 0);
    const policy = sts.policy;
    if (policy)
      yield { type: "mtaStsFetchSuccess", policy: livePolicy(policy), elapsed: stsElapsed };
    else if (sts.txt.outcome === "nxdomain" || sts.txt.outcome === "nodata")
      yield { type: "mtaStsNotFound", elapsed: stsElapsed };
    else {
      const reason =
        sts.failure?.text ?? `Address refused by the probe: ${sts.fetch?.detail ?? ""}`;
      yield { type: "mtaStsFetchError", reason, elapsed: stsElapsed };
    }

    yield { type: "tlsRptLookupStart" };
    yield await tlsRptEvents(client, domain, signal);

    for (const hostname of mx.hosts) {
      yield { type: "deliveryAttemptStart", hostname };
      if (policy) {
        if (!isMxAuthorized(policy, hostname)) {
          yield { type: "mtaStsVerifyError", reason: "Not authorized by policy" };
          continue;
        }
        yield { type: "mtaStsVerifySuccess" };
      }
      yield { type: "tlsaLookupStart" };
      const tlsa = await lookupTlsa(client, hostname, signal);
      const daneRecords = tlsa.usable.some((r) => r.usage === 3) ? tlsa.usable : null;
      yield tlsaEvent(tlsa);
      yield { type: "ipLookupStart" };
      const ips = await lookupAddresses(
        client,
        hostname,
        { ipLookupStrategy: "ipv4ThenIpv6", maxMultihomed: MAX_ADDRESSES },
        signal,
      );
      if (ips.outcome !== "addresses") {
        const reason =
          ips.outcome === "error"
            ? dnsErrorText(ips.error ?? "")
            : notFound(ips.outcome === "nxdomain" ? "NXDomain" : "NoError");
        yield { type: "ipLookupError", reason, elapsed: ips.elapsedMs };
        continue;
      }
      yield { type: "ipLookupSuccess", remoteIps: ips.addresses, elapsed: ips.elapsedMs };
      for (const remoteIp of ips.addresses) {
        yield { type: "connectionStart", remoteIp };
        const refused = config.privateAddressesAllowed ? null : refusalReason(remoteIp);
        if (refused) {
          yield {
            type: "connectionError",
            elapsed: 0,
            reason: `Refused by the probe's address filter: ${refused}`,
          };
          continue;
        }
        const session = yield* ipSession({
          hostname,
          remoteIp,
          address,
          daneRecords,
          config,
          timeouts,
          ca,
          signal,
        });
        if (session === "success") return;
      }
    }
  }
}

function tlsaEvent(tlsa: TlsaFacts): LiveEvent {
  const elapsed = tlsa.elapsedMs;
  if (tlsa.outcome === "bogus")
    return { type: "tlsaLookupError", elapsed, reason: "Bogus TLSA record" };
  if (tlsa.outcome === "error")
    return { type: "tlsaLookupError", elapsed, reason: dnsErrorText(tlsa.error ?? "") };
  if (tlsa.outcome !== "records" || !tlsa.secure)
    return { type: "tlsaNotFound", elapsed, reason: "No TLSA DNSSEC records found" };
  const record = liveTlsa(tlsa);
  if (!record.has_end_entities)
    return { type: "tlsaLookupError", elapsed, reason: "TLSA record does not have end entities" };
  return { type: "tlsaLookupSuccess", record, elapsed };
}
