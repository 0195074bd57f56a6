import { decideAddress } from "./decide-address";
import type { DeliveryFacts, DnssecStatus, HostFacts, Policy, TlsaRecord } from "./facts";
import {
  type DeliveryStrategy,
  dnsErrorText,
  type Outcome,
  type StalwartError,
  stalwartError,
} from "./outcome";
import { isMxAuthorized } from "./policy-match";
import { type DecideOptions, type DecideStrategies, Run } from "./run";

// THE decision procedure: what Stalwart v0.16's outbound delivery does with these facts under
// these strategies, copied from the shared delivery reference §1.2 (steps 1-9) and §1.11, with
// its quirks kept: no HTTP status check on the policy, a non-matching `enforce` MX is a
// permanent failure, the LAST failing MX decides the route, `startTls: disable` wins over DANE
// and MTA-STS. Pure: the page runs it in the browser on every frame.

type StsResult = { policy: Policy | null } | { outcome: Outcome };

/** §1.2 step 2 and table A, with the fetch's elapsed time held against S0.mtaStsTimeout. */
function mtaStsStep(run: Run, s0: DeliveryStrategy): StsResult {
  const { facts } = run;
  const domain = facts.target.domain;
  if (s0.mtaSts === "disable") {
    run.log(null, "mta-sts", `MTA-STS is disabled by strategy "${s0.name}": no lookup.`);
    return { policy: null };
  }
  const sts = facts.mtaSts;
  if (!sts) return { outcome: run.missing("the MTA-STS lookup") };
  let failure = sts.failure;
  let policy = sts.policy;
  const fetch = sts.fetch;
  if (fetch?.outcome === "refused")
    return {
      outcome: run.unknown(
        `The policy host's address was not probed (${fetch.detail ?? "refused"}); Stalwart would fetch the policy from it.`,
      ),
    };
  if (fetch) {
    // reqwest's per-request timeout covers connect, TLS, headers and body (§1.9).
    const probeGaveUp = fetch.outcome === "timeout";
    if (probeGaveUp && s0.mtaStsTimeout > fetch.elapsedMs) {
      const reason = `The probe gave up on the policy fetch after ${fetch.elapsedMs} ms; strategy "${s0.name}" waits up to ${s0.mtaStsTimeout} ms.`;
      if (s0.mtaSts === "require") return { outcome: run.unknown(reason) };
      return { outcome: run.unknown(`${reason} A policy that arrives in time would apply.`) };
    }
    if (probeGaveUp || fetch.elapsedMs > s0.mtaStsTimeout) {
      failure = { temporary: true, text: "Timeout fetching policy." };
      policy = null;
    }
  }
  if (policy) {
    run.log(null, "mta-sts", `Policy "${policy.id}" in mode ${policy.mode}.`);
    return { policy };
  }
  const text = failure?.text ?? "No MTA-STS policy.";
  if (s0.mtaSts === "require" && failure) {
    run.log(null, "mta-sts", `${text} — MTA-STS is required, so the whole route fails.`);
    return {
      outcome: run.fail(stalwartError("MtaStsError", failure.temporary, domain, text), null),
    };
  }
  run.log(null, "mta-sts", `${text} — MTA-STS is optional, so delivery goes on without a policy.`);
  return { policy: null };
}

/** Table B, host level: the IP lookup's failure, or the addresses Stalwart connects to. */
function hostAddresses(
  run: Run,
  host: HostFacts,
  isImplicit: boolean,
): { failure: StalwartError } | { addresses: string[] } | { outcome: Outcome } {
  const ips = host.ips;
  if (!ips) return { outcome: run.missing(`the addresses of ${host.name}`, host.name) };
  const name = host.name;
  switch (ips.outcome) {
    case "nxdomain":
    case "nodata":
      return {
        failure: isImplicit
          ? stalwartError("DnsError", false, name, "no MX record found.")
          : stalwartError("ConnectionError", false, name, "record not found for MX"),
      };
    case "error":
      return {
        failure: stalwartError(
          "ConnectionError",
          true,
          name,
          `lookup error: ${dnsErrorText(ips.error ?? "")}`,
        ),
      };
    case "empty":
      return {
        failure: stalwartError("DnsError", true, name, `No IP addresses found for "${name}".`),
      };
  }
  if (run.facts.source.privateAddressesAllowed) {
    run.note(
      "Private addresses are allowed (test world): Stalwart's loopback drop is not applied, as in its own test build.",
    );
    return { addresses: ips.addresses };
  }
  // lookup.rs l.150-159: loopback addresses are dropped; only loopback left is permanent.
  const kept = ips.addresses.filter((address) => !isLoopback(address));
  if (kept.length === 0 && ips.addresses.length > 0)
    return {
      failure: stalwartError("ConnectionError", false, name, "host resolves loopback address"),
    };
  return { addresses: kept };
}

const isLoopback = (address: string) =>
  address.startsWith("127.") || address === "::1" || address.startsWith("::ffff:127.");

/** Table C: the usable TLSA records (a DANE policy), none, or this host's failure. */
function daneStep(
  run: Run,
  s: DeliveryStrategy,
  host: HostFacts,
  mxStatus: DnssecStatus,
): { dane: TlsaRecord[] | null } | { failure: StalwartError } | { outcome: Outcome } {
  const name = host.name;
  const isRequired = s.dane === "require";
  const none = (text: string) => {
    if (!isRequired) {
      run.log(name, "dane", `${text} — DANE is optional, so no DANE for this host.`);
      return { dane: null };
    }
    return { failure: stalwartError("DaneError", false, name, text) };
  };
  if (mxStatus === "bogus")
    return { failure: stalwartError("DaneError", true, name, "Bogus MX records were found") };
  if (mxStatus !== "secure") return none("No TLSA DNSSEC records found");
  const tlsa = host.tlsa;
  if (!tlsa) return { outcome: run.missing(`the TLSA records of ${name}`, name) };
  switch (tlsa.outcome) {
    case "bogus":
      return { failure: stalwartError("DaneError", true, name, "Bogus TLSA records were found") };
    case "error":
      // Stalwart's test `dane_downgrade_on_tlsa_servfail`: no downgrade, even when optional.
      return {
        failure: stalwartError("DnsError", true, name, dnsErrorText(tlsa.error ?? "")),
      };
    case "records":
      if (!tlsa.secure) return none("No TLSA DNSSEC records found");
      if (tlsa.usable.length === 0) return none("No valid TLSA records were found");
      run.log(name, "dane", `${tlsa.usable.length} usable TLSA record(s): DANE applies.`);
      return { dane: tlsa.usable };
    default:
      return none("No TLSA DNSSEC records found");
  }
}

/**
 * What Stalwart's delivery would do for `facts` under these strategies (one attempt).
 *
 * - strategies: `routeStrategy` is S0, used only for the MTA-STS fetch (§1.2 steps 1-2);
 *   `hostStrategy(mx)` is S for each MX host (DANE, STARTTLS, allowInvalidCerts, tlsTimeout and
 *   strictness, §1.2 step 5). Timeouts are in ms and are compared with the probe's observed
 *   elapsed ms (policy fetch vs S0.mtaStsTimeout; STARTTLS reply and handshake each vs
 *   S.tlsTimeout, §1.9). When the probe gave up before the strategy would, the outcome is
 *   `unknown` and says so.
 * - Returns an Outcome (outcome.ts) with the MX/address it ends on, Stalwart's error kind and
 *   exact text, and a trace. `pending` while facts are still being collected; `unknown` when
 *   they never will be (address refused by the filter, probe stopped). Never throws.
 * - Source: shared delivery reference §1.2, tables A-F, §1.11.
 */
export function decide(
  strategies: DecideStrategies,
  facts: DeliveryFacts,
  options: DecideOptions = {},
): Outcome {
  const run = new Run(facts);
  const domain = facts.target.domain;
  const sts = mtaStsStep(run, strategies.routeStrategy);
  if ("outcome" in sts) return sts.outcome;
  const policy = sts.policy;

  const mx = facts.mx;
  if (!mx) return run.missing("the MX lookup");
  if (mx.outcome === "error" || (mx.outcome === "bogus" && facts.resolver?.validates === false)) {
    // A bogus answer through a non-validating Stalwart is the upstream's SERVFAIL (§4.3).
    const error = stalwartError("DnsError", true, domain, dnsErrorText(mx.error ?? ""));
    run.log(null, "mx", `MX lookup failed: ${error.text}`);
    return run.fail(error, null);
  }
  if (mx.outcome === "bogus" && !facts.resolver)
    return run.missing("whether the resolver validates DNSSEC");
  if (mx.isNullMx) {
    run.log(null, "mx", "Null MX: the domain accepts no mail.");
    const text = "Domain does not accept messages (null MX)";
    return run.fail(stalwartError("DnsError", false, domain, text), null);
  }
  if (mx.cutHosts.length > 0)
    run.note(`MX hosts past maxMxHosts are never tried: ${mx.cutHosts.join(", ")}.`);

  let last: StalwartError | null = null;
  let lastAddress: string | undefined;
  for (const name of mx.hosts) {
    lastAddress = undefined;
    // Step 4: MTA-STS authorisation.
    if (policy && !isMxAuthorized(policy, name)) {
      if (policy.mode === "enforce") {
        last = stalwartError("MtaStsError", false, name, `MX "${name}" not authorized by policy.`);
        run.log(name, "mta-sts", `${last.text} — next MX.`);
        continue;
      }
      run.log(
        name,
        "mta-sts",
        "Not authorized by the policy, which is in testing mode: reported only.",
      );
    }
    const s = strategies.hostStrategy(name); // step 5
    const host = facts.hosts.find((h) => h.name === name) ?? { name, addresses: [] };
    const ips = hostAddresses(run, host, mx.isImplicit); // step 6
    if ("outcome" in ips) return ips.outcome;
    if ("failure" in ips) {
      last = ips.failure;
      run.log(name, "ips", `${last.text} — next MX.`);
      continue;
    }
    let dane: TlsaRecord[] | null = null; // step 7
    if (s.dane !== "disable") {
      const resolver = facts.resolver;
      if (!resolver) return run.missing("whether the resolver validates DNSSEC", name);
      if (!resolver.validates)
        run.note(
          "The resolver cannot validate DNSSEC, so Stalwart turns DANE off: `dane: optional` never applies and `dane: require` bounces.",
        );
      const status: DnssecStatus = resolver.validates
        ? mx.isImplicit && mx.outcome === "nxdomain"
          ? "indeterminate"
          : mx.dnssec
        : "indeterminate";
      const step = daneStep(run, s, host, status);
      if ("outcome" in step) return step.outcome;
      if ("failure" in step) {
        last = step.failure;
        run.log(name, "dane", `${last.text} — next MX.`);
        continue;
      }
      dane = step.dane;
    }
    for (const address of ips.addresses) {
      const result = decideAddress(run, { s, host, address, policy, dane, options });
      if ("outcome" in result) return result.outcome;
      last = result.failure;
      lastAddress = address;
      if (result.next === "mx") break;
    }
  }
  if (!last) return run.unknown("No MX host was tried.");
  return run.fail(last, last.entity, lastAddress);
}

/** decide() with S0 = S = `strategy` (§2 "For the preview": each strategy on its own). */
export function decideFor(
  strategy: DeliveryStrategy,
  facts: DeliveryFacts,
  options: DecideOptions = {},
): Outcome {
  return decide({ routeStrategy: strategy, hostStrategy: () => strategy }, facts, options);
}
