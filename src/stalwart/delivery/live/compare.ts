import type { DeliveryFacts, HostFacts, Policy } from "../facts";
import type { LiveEvent } from "./events";
import { type LiveHost, type LiveSummary, summarizeLiveTest } from "./summary";

// Where the page's own facts and Stalwart's own test disagree, fact by fact, in plain words (README
// "Testing a destination"): the MX list, the MTA-STS policy, and per host Stalwart tried: TLSA,
// STARTTLS advertised, the PKI verdict, DANE. A fact only one side reports is not a disagreement;
// the differences §3.3 of the shared delivery reference predicts are marked `isExpected`.

export type DisagreementFact = "mx" | "mta-sts" | "tlsa" | "starttls" | "pki" | "dane";

export interface Disagreement {
  fact: DisagreementFact;
  /** The MX host, for the per-host facts. */
  host?: string;
  /** What the page's own test found, in words. */
  prediction: string;
  /** What Stalwart's own test reported, in words (its own text where it gave one). */
  stalwart: string;
  /** The reference §3.3 predicts this difference: the test is not delivery. */
  isExpected: boolean;
  /** Why the two may differ. */
  why: string;
}

const mxWords = (records: readonly { preference: number; exchange: string }[]) =>
  records.map((record) => `${record.exchange} (${record.preference})`).join(", ");

/** Each side's MX answer as "records", "none" (not found), "null" or "error", with its list. */
function mxOf(facts: DeliveryFacts, live: LiveSummary) {
  const mx = facts.mx;
  const ours = !mx
    ? null
    : mx.isNullMx
      ? { kind: "null", words: "a null MX (no mail accepted)" }
      : mx.outcome === "records"
        ? { kind: "records", words: mxWords(sortMx(mx.records)) }
        : mx.outcome === "error" || mx.outcome === "bogus"
          ? { kind: "error", words: `no answer (${mx.error ?? mx.outcome})` }
          : { kind: "none", words: "no MX records (the domain itself is used)" };
  const theirs = !live.mx
    ? null
    : live.mx.kind === "found"
      ? {
          kind: "records",
          words: mxWords(
            sortMx(
              live.mx.mxs.flatMap((mx) =>
                mx.exchanges.map((exchange) => ({ preference: mx.preference, exchange })),
              ),
            ),
          ),
        }
      : live.mx.reason === "Null MX record"
        ? { kind: "null", words: "a null MX (no mail accepted)" }
        : /^DNS record not found/.test(live.mx.reason)
          ? { kind: "none", words: `no MX records (“${live.mx.reason}”)` }
          : { kind: "error", words: `no answer (“${live.mx.reason}”)` };
  return { ours, theirs };
}

function sortMx<T extends { preference: number; exchange: string }>(records: readonly T[]) {
  return [...records].sort(
    (a, b) => a.preference - b.preference || a.exchange.localeCompare(b.exchange),
  );
}

const patternsWords = (policy: Policy) =>
  policy.mx
    .map((pattern) => (pattern.type === "startsWith" ? `*.${pattern.value}` : pattern.value))
    .sort()
    .join(", ");

function compareMtaSts(facts: DeliveryFacts, live: LiveSummary): Disagreement[] {
  if (!facts.mtaSts || !live.mtaSts) return [];
  const ours = facts.mtaSts.policy;
  const theirs = live.mtaSts.kind === "policy" ? live.mtaSts.policy : null;
  const noPolicy = (text: string) => `no policy (${text})`;
  if (ours && theirs) {
    const fields: [string, string, string][] = [
      ["mode", ours.mode, theirs.mode],
      ["MX patterns", patternsWords(ours), patternsWords(theirs)],
      ["id", ours.id, theirs.id],
    ];
    return fields
      .filter(([, a, b]) => a !== b)
      .map(([field, a, b]) => ({
        fact: "mta-sts" as const,
        prediction: `policy ${field}: ${a}`,
        stalwart: `policy ${field}: ${b}`,
        isExpected: false,
        why:
          field === "id" || ours.id !== theirs.id
            ? "Stalwart keeps a fetched policy for its max_age and reuses it while the _mta-sts id is unchanged (or the record cannot be read): it may still hold an older policy than the one published now."
            : "The two fetched different policies: the policy host answers differently to each network, or it changed between the tests.",
      }));
  }
  if (!ours && !theirs) return [];
  const ourWords = ours
    ? `a policy in mode ${ours.mode} (id ${ours.id})`
    : noPolicy(facts.mtaSts.failure?.text ?? "no _mta-sts record");
  const theirWords = theirs
    ? `a policy in mode ${theirs.mode} (id ${theirs.id})`
    : noPolicy(live.mtaSts.kind === "error" ? `“${live.mtaSts.reason}”` : "not found");
  return [
    {
      fact: "mta-sts",
      prediction: ourWords,
      stalwart: theirWords,
      isExpected: false,
      why: theirs
        ? "Stalwart may still hold this policy in its cache (kept for max_age, and used when the _mta-sts record cannot be read), or its network reaches a policy host this server cannot."
        : "Stalwart could not get the policy this server fetched: its network, resolver or trusted roots differ, or the policy host failed for it.",
    },
  ];
}

/** TLSA as the live test would report our facts (reference §3.3's table). */
function ourTlsa(host: HostFacts): { kind: string; words: string } | null {
  const tlsa = host.tlsa;
  if (!tlsa) return null;
  if (tlsa.outcome === "bogus") return { kind: "bogus", words: "bogus TLSA records" };
  if (tlsa.outcome === "error") return { kind: "error", words: `no answer (${tlsa.error ?? ""})` };
  if (tlsa.outcome !== "records" || !tlsa.secure)
    return { kind: "none", words: "no DNSSEC-signed TLSA records" };
  const ee = tlsa.usable.filter((record) => record.usage === 3);
  if (ee.length === 0) return { kind: "no-ee", words: "signed TLSA records, none DANE-EE" };
  return {
    kind: `ee:${ee.map((record) => record.data.toLowerCase()).sort()}`,
    words: `${ee.length} signed DANE-EE TLSA record${ee.length === 1 ? "" : "s"}`,
  };
}

const hex = (bytes: readonly number[]) =>
  bytes.map((byte) => byte.toString(16).padStart(2, "0")).join("");

function theirTlsa(host: LiveHost): { kind: string; words: string } | null {
  const tlsa = host.tlsa;
  if (!tlsa) return null;
  if (tlsa.kind === "found") {
    const ee = tlsa.record.entries.filter((entry) => entry.is_end_entity);
    return {
      kind: `ee:${ee.map((entry) => hex(entry.data)).sort()}`,
      words: `${ee.length} DANE-EE TLSA record${ee.length === 1 ? "" : "s"}`,
    };
  }
  const words = `“${tlsa.reason}”`;
  if (tlsa.kind === "notFound") return { kind: "none", words };
  if (tlsa.reason === "TLSA record does not have end entities") return { kind: "no-ee", words };
  if (tlsa.reason === "Bogus TLSA record") return { kind: "bogus", words };
  return { kind: "error", words };
}

/** STARTTLS advertised: our EHLO capabilities; Stalwart's only through its error text. */
function ourStartTls(host: HostFacts): boolean | null {
  const ehlo = host.addresses.find((address) => address.ehlo?.outcome === "reply")?.ehlo;
  if (ehlo?.code !== 250) return null;
  return ehlo.capabilities.some((capability) => capability.toUpperCase() === "STARTTLS");
}

function theirStartTls(host: LiveHost): boolean | null {
  for (const attempt of host.attempts) {
    const step = attempt.steps.find((s) => s.step === "startTls");
    if (step) return step.ok || !/^STARTTLS not advertised by host/.test(step.reason ?? "");
  }
  return null;
}

/** PKI verdict on the certificate: ours from the handshake; Stalwart's from STARTTLS. */
function ourPki(host: HostFacts) {
  const tls = host.addresses.find((address) => address.tls?.outcome === "ok")?.tls;
  return tls ? { ok: tls.pki.ok, words: tls.pki.reason ?? "" } : null;
}

function theirPki(host: LiveHost) {
  for (const attempt of host.attempts) {
    const step = attempt.steps.find((s) => s.step === "startTls");
    if (step?.ok) return { ok: true, words: "" };
    if (step && /invalid peer certificate/.test(step.reason ?? ""))
      return { ok: false, words: step.reason ?? "" };
  }
  return null;
}

function compareHost(ours: HostFacts, theirs: LiveHost): Disagreement[] {
  const out: Disagreement[] = [];
  const host = theirs.hostname;
  const a = ourTlsa(ours);
  const b = theirTlsa(theirs);
  if (a && b && a.kind !== b.kind)
    out.push({
      fact: "tlsa",
      host,
      prediction: a.words,
      stalwart: b.words,
      isExpected: false,
      why: "The TLSA records or their DNSSEC status differ between the two resolvers, or they changed between the tests.",
    });
  const advertised = [ourStartTls(ours), theirStartTls(theirs)];
  if (advertised[0] !== null && advertised[1] !== null && advertised[0] !== advertised[1])
    out.push({
      fact: "starttls",
      host,
      prediction: advertised[0] ? "STARTTLS advertised" : "STARTTLS not advertised",
      stalwart: advertised[1] ? "STARTTLS advertised" : "STARTTLS not advertised",
      isExpected: false,
      why: "The host answered the two differently: another address, a middlebox that strips STARTTLS on one network, or a change between the tests.",
    });
  const pki = [ourPki(ours), theirPki(theirs)] as const;
  if (pki[0] && pki[1] && pki[0].ok !== pki[1].ok)
    out.push({
      fact: "pki",
      host,
      prediction: pki[0].ok ? "certificate valid by PKI" : `PKI refuses it: ${pki[0].words}`,
      stalwart: pki[1].ok ? "certificate valid by PKI" : `PKI refuses it: “${pki[1].words}”`,
      isExpected: false,
      why: "The two trust different roots (this server's trust store with NODE_EXTRA_CA_CERTS, Stalwart's system store), or were shown different certificates.",
    });
  const dane = ours.addresses.find((address) => address.dane)?.dane;
  const theirDane = theirs.attempts.flatMap((t) => t.steps).find((s) => s.step === "dane");
  if (dane?.outcome === "match" && pki[0]?.ok === false && pki[1]?.ok === false && !theirDane)
    out.push({
      fact: "dane",
      host,
      prediction: `the certificate matches its TLSA record (DANE): ${dane.reason}`,
      stalwart: "DANE never checked: the PKI check refused the certificate first",
      isExpected: true,
      why: "Stalwart's test always verifies by PKI and moves on when that fails, so a host verified by DANE alone looks broken there; real delivery checks DANE instead of PKI when usable TLSA records exist.",
    });
  else if (dane && theirDane && (dane.outcome === "match") !== theirDane.ok)
    out.push({
      fact: "dane",
      host,
      prediction: dane.outcome === "match" ? "DANE matches" : `DANE fails: ${dane.reason}`,
      stalwart: theirDane.ok ? "DANE matches" : `DANE fails: “${theirDane.reason ?? ""}”`,
      isExpected: false,
      why: "The two saw different certificates or TLSA records.",
    });
  return out;
}

/**
 * Every fact both sides report and disagree on, MX first, then MTA-STS, then each host in the
 * order Stalwart's test tried them. `facts`: the page's own test; `events`: Stalwart's own
 * test for the same target, in arrival order (a partial list compares what it has). Hosts the
 * page did not probe, or Stalwart's test did not reach (it stops at the first host that
 * succeeds, §3.3), are not compared. MX are compared as full RRsets (the route's cut at
 * maxMxHosts is not Stalwart's test's), MTA-STS by presence, then mode, patterns and id.
 */
export function compareWithStalwart(
  facts: DeliveryFacts,
  events: readonly LiveEvent[],
): Disagreement[] {
  const live = summarizeLiveTest(events);
  const out: Disagreement[] = [];
  const mx = mxOf(facts, live);
  if (
    mx.ours &&
    mx.theirs &&
    (mx.ours.kind !== mx.theirs.kind ||
      (mx.ours.kind === "records" && mx.ours.words !== mx.theirs.words))
  )
    out.push({
      fact: "mx",
      prediction: mx.ours.words,
      stalwart: mx.theirs.words,
      isExpected: false,
      why: "Stalwart's test reads MX through its own resolver and MX cache: the resolvers differ, or the records changed since it cached them.",
    });
  out.push(...compareMtaSts(facts, live));
  for (const theirs of live.hosts) {
    const ours = facts.hosts.find((host) => host.name === theirs.hostname);
    if (ours) out.push(...compareHost(ours, theirs));
  }
  return out;
}
