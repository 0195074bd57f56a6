import { describe, expect, test } from "vitest";
import { TLS_STRATEGY_DEFAULTS } from "../../jmap/protocol";
import { decide, decideFor } from "./decide";
import type {
  AddressFacts,
  DeliveryFacts,
  HostFacts,
  MtaStsFacts,
  MxFacts,
  Policy,
  ReplyStep,
  TlsaFacts,
  TlsaRecord,
} from "./facts";
import type { DeliveryStrategy, Outcome } from "./outcome";
import { builtInStrategy, decideAsPicked, pickStrategies } from "./picks";
import type { DecideOptions } from "./run";

// One row per row of tables A-F of the shared delivery reference, and their interactions.
// Facts are built by small builders: a good world by default, each row changes one thing.
// Long (over 400 lines) on purpose: a table-driven test reads best as one table per table of
// the reference, and splitting it would scatter the builders every table shares.

const DEFAULT: DeliveryStrategy = { name: "default", ...TLS_STRATEGY_DEFAULTS };
const S = (over: Partial<DeliveryStrategy> = {}): DeliveryStrategy => ({ ...DEFAULT, ...over });
const INVALID_TLS = S({ name: "invalid-tls", allowInvalidCerts: true });
const MX1 = "mx1.example.com";
const MX2 = "mx2.example.com";

const reply = (
  code: number,
  lines: string[] = ["ok"],
  over: Partial<ReplyStep> = {},
): ReplyStep => ({
  outcome: "reply",
  code,
  lines,
  elapsedMs: 5,
  timeoutMs: 10_000,
  ...over,
});
const timeout = (ms = 10_000): ReplyStep => ({
  outcome: "timeout",
  code: null,
  lines: [],
  elapsedMs: ms,
  timeoutMs: ms,
});

const GOOD_TLS: NonNullable<AddressFacts["tls"]> = {
  outcome: "ok",
  elapsedMs: 20,
  timeoutMs: 10_000,
  protocol: "TLSv1.3",
  cipher: "TLS_AES_128_GCM_SHA256",
  chain: [],
  pki: { ok: true },
};

function address(ip = "192.0.2.1", over: Partial<AddressFacts> = {}): AddressFacts {
  return {
    address: ip,
    connect: { ok: true, elapsedMs: 3, timeoutMs: 10_000, timedOut: false },
    greeting: reply(220),
    ehlo: {
      ...reply(250, ["mx", "PIPELINING", "STARTTLS"]),
      capabilities: ["PIPELINING", "STARTTLS"],
      command: "EHLO probe.test",
    },
    startTls: reply(220),
    tls: {
      outcome: "ok",
      elapsedMs: 20,
      timeoutMs: 10_000,
      protocol: "TLSv1.3",
      cipher: "TLS_AES_128_GCM_SHA256",
      chain: [],
      pki: { ok: true },
    },
    done: true,
    ...over,
  };
}
const noStartTls = (): Partial<AddressFacts> => ({
  ehlo: {
    ...reply(250, ["mx", "PIPELINING"]),
    capabilities: ["PIPELINING"],
    command: "EHLO probe.test",
  },
  startTls: undefined,
  tls: undefined,
});
const badCert = (reason = "UnknownIssuer"): Partial<AddressFacts> => ({
  tls: { ...GOOD_TLS, pki: { ok: false, reason } },
});

function host(name: string, over: Partial<HostFacts> = {}, addresses = [address()]): HostFacts {
  return {
    name,
    ips: {
      outcome: "addresses",
      addresses: addresses.map((a) => a.address),
      cut: [],
      elapsedMs: 2,
    },
    tlsa: { outcome: "nxdomain", secure: false, records: [], usable: [], ede: [], elapsedMs: 2 },
    addresses,
    ...over,
  };
}

function mx(hosts: string[] = [MX1], over: Partial<MxFacts> = {}): MxFacts {
  return {
    outcome: "records",
    dnssec: "insecure",
    records: hosts.map((exchange, i) => ({ preference: 10 * (i + 1), exchange })),
    ede: [],
    elapsedMs: 2,
    isNullMx: false,
    isImplicit: false,
    hosts,
    cutHosts: [],
    ...over,
  };
}

const txt = (outcome: MtaStsFacts["txt"]["outcome"], rcode = "NXDomain") => ({
  outcome,
  records: [],
  rcode,
  elapsedMs: 1,
});
const noSts = (): MtaStsFacts => ({
  txt: txt("nxdomain"),
  record: null,
  fetch: null,
  policy: null,
  failure: { temporary: false, text: "Record not found: NXDomain" },
});
const fetched = (over: Partial<NonNullable<MtaStsFacts["fetch"]>> = {}) => ({
  url: "https://mta-sts.example.com/.well-known/mta-sts.txt",
  address: "192.0.2.9",
  port: 443,
  httpStatus: 200,
  bytes: 80,
  elapsedMs: 50,
  outcome: "body" as const,
  ...over,
});
function withPolicy(mode: Policy["mode"], mx: string[] = [MX1], fetch = fetched()): MtaStsFacts {
  const patterns = mx.map((p) =>
    p.startsWith("*.")
      ? { type: "startsWith" as const, value: p.slice(2) }
      : { type: "equals" as const, value: p },
  );
  return {
    txt: { outcome: "records", records: ["v=STSv1; id=1"], rcode: "NoError", elapsedMs: 1 },
    record: { id: "1", text: "v=STSv1; id=1" },
    fetch,
    policy: { id: "1", mode, mx: patterns, maxAge: 86400 },
    failure: null,
  };
}
const stsFailure = (
  temporary: boolean,
  text: string,
  fetch: MtaStsFacts["fetch"] = fetched(),
): MtaStsFacts => ({
  ...withPolicy("none"),
  fetch,
  policy: null,
  failure: { temporary, text },
});

function facts(over: Partial<DeliveryFacts> = {}): DeliveryFacts {
  return {
    target: { input: "example.com", domain: "example.com" },
    collectedAt: "2026-01-01T00:00:00.000Z",
    source: {
      resolvers: ["192.0.2.53:53"],
      smtpPort: 25,
      mtaStsPort: 443,
      privateAddressesAllowed: false,
      maxMxHosts: 2,
      maxMultihomed: 2,
      ipLookupStrategy: "ipv4ThenIpv6",
      limits: {
        dnsMs: 2000,
        connectMs: 10_000,
        greetingMs: 10_000,
        ehloMs: 10_000,
        startTlsMs: 10_000,
        tlsMs: 10_000,
        mtaStsMs: 10_000,
        deadlineMs: 30_000,
      },
    },
    resolver: { validates: true, answersOverTcp: true, rootDnskeyAd: true, detail: "" },
    mtaSts: noSts(),
    mx: mx(),
    hosts: [host(MX1)],
    status: "complete",
    ...over,
  };
}

const ee: TlsaRecord = { usage: 3, selector: 1, matchingType: 1, data: "ab" };
const ta: TlsaRecord = { usage: 2, selector: 0, matchingType: 1, data: "cd" };
const tlsa = (over: Partial<TlsaFacts>): TlsaFacts => ({
  outcome: "records",
  secure: true,
  records: [ee],
  usable: [ee],
  ede: [],
  elapsedMs: 1,
  ...over,
});
/** A signed MX whose host has usable TLSA and whose address matched DANE-EE. */
const daneWorld = (addressOver: Partial<AddressFacts> = {}, tlsaOver: Partial<TlsaFacts> = {}) =>
  facts({
    mx: mx([MX1], { dnssec: "secure" }),
    hosts: [
      host(MX1, { tlsa: tlsa(tlsaOver) }, [
        address("192.0.2.1", {
          dane: { outcome: "match", by: "ee", record: ee, reason: "" },
          ...addressOver,
        }),
      ]),
    ],
  });

interface Row {
  name: string;
  facts: DeliveryFacts;
  strategy?: DeliveryStrategy;
  route?: DeliveryStrategy;
  options?: DecideOptions;
  expect: Partial<{
    kind: Outcome["kind"];
    text: string;
    errorKind: string;
    by: string;
    why: string;
    host: string | null;
    reason: RegExp;
  }>;
}

function check(row: Row) {
  const strategy = row.strategy ?? DEFAULT;
  const outcome = row.route
    ? decide({ routeStrategy: row.route, hostStrategy: () => strategy }, row.facts, row.options)
    : decideFor(strategy, row.facts, row.options);
  const seen: Record<string, unknown> = { kind: outcome.kind };
  if ("error" in outcome)
    Object.assign(seen, {
      text: outcome.error.text,
      errorKind: outcome.error.kind,
      host: outcome.host,
    });
  if ("by" in outcome) seen.by = outcome.by;
  if ("why" in outcome) seen.why = outcome.why;
  if ("host" in outcome && !("error" in outcome)) seen.host = outcome.host;
  const { reason, ...rest } = row.expect;
  expect(seen).toMatchObject(rest);
  if (reason) expect("reason" in outcome ? outcome.reason : "").toMatch(reason);
  return outcome;
}

const REQUIRE_STS = S({ mtaSts: "require" });
const REQUIRE_DANE = S({ dane: "require" });

describe("table A: the route-level MTA-STS fetch (S0)", () => {
  const rows: Row[] = [
    {
      name: "no TXT, mtaSts disable: no lookup",
      facts: facts(),
      strategy: S({ mtaSts: "disable" }),
      expect: { kind: "verified", by: "pki" },
    },
    { name: "no TXT, optional: continue", facts: facts(), expect: { kind: "verified" } },
    {
      name: "no TXT, require: route PERM",
      facts: facts(),
      strategy: REQUIRE_STS,
      expect: {
        kind: "bounced",
        errorKind: "MtaStsError",
        text: "Record not found: NXDomain",
        host: null,
      },
    },
    {
      name: "TXT NODATA, require",
      facts: facts({
        mtaSts: {
          ...noSts(),
          txt: txt("nodata", "NoError"),
          failure: { temporary: false, text: "Record not found: NoError" },
        },
      }),
      strategy: REQUIRE_STS,
      expect: { kind: "bounced", text: "Record not found: NoError" },
    },
    {
      name: "TXT does not parse, optional",
      facts: facts({
        mtaSts: {
          ...noSts(),
          failure: { temporary: false, text: "Failed to parse MTA-STS DNS record." },
        },
      }),
      expect: { kind: "verified" },
    },
    {
      name: "TXT does not parse, require",
      facts: facts({
        mtaSts: {
          ...noSts(),
          failure: { temporary: false, text: "Failed to parse MTA-STS DNS record." },
        },
      }),
      strategy: REQUIRE_STS,
      expect: { kind: "bounced", text: "Failed to parse MTA-STS DNS record." },
    },
    {
      name: "TXT SERVFAIL, optional",
      facts: facts({
        mtaSts: {
          ...noSts(),
          txt: txt("error"),
          failure: { temporary: true, text: "DNS lookup error: DNS resolution error: SERVFAIL" },
        },
      }),
      expect: { kind: "verified" },
    },
    {
      name: "TXT SERVFAIL, require: route TEMP",
      facts: facts({
        mtaSts: {
          ...noSts(),
          txt: txt("error"),
          failure: { temporary: true, text: "DNS lookup error: DNS resolution error: SERVFAIL" },
        },
      }),
      strategy: REQUIRE_STS,
      expect: { kind: "deferred", text: "DNS lookup error: DNS resolution error: SERVFAIL" },
    },
    {
      name: "HTTPS timeout (probe limit >= S0.mtaStsTimeout), require",
      facts: facts({
        mtaSts: stsFailure(
          true,
          "Timeout fetching policy.",
          fetched({ outcome: "timeout", elapsedMs: 1000, httpStatus: null }),
        ),
      }),
      strategy: S({ mtaSts: "require", mtaStsTimeout: 800 }),
      expect: { kind: "deferred", text: "Timeout fetching policy." },
    },
    {
      name: "HTTPS timeout, optional: no policy",
      facts: facts({
        mtaSts: stsFailure(
          true,
          "Timeout fetching policy.",
          fetched({ outcome: "timeout", elapsedMs: 1000 }),
        ),
      }),
      strategy: S({ mtaStsTimeout: 1000 }),
      expect: { kind: "verified" },
    },
    {
      name: "probe gave up before the strategy would: unknown",
      facts: facts({
        mtaSts: stsFailure(
          true,
          "Timeout fetching policy.",
          fetched({ outcome: "timeout", elapsedMs: 1000 }),
        ),
      }),
      strategy: REQUIRE_STS,
      expect: { kind: "unknown", reason: /gave up on the policy fetch after 1000 ms.*300000 ms/ },
    },
    {
      name: "policy arrived later than S0.mtaStsTimeout: timeout",
      facts: facts({
        mtaSts: withPolicy("enforce", ["mx9.example.com"], fetched({ elapsedMs: 900 })),
      }),
      strategy: S({ mtaSts: "require", mtaStsTimeout: 500 }),
      expect: { kind: "deferred", text: "Timeout fetching policy." },
    },
    {
      name: "late policy under optional: ignored, so enforce does not bite",
      facts: facts({
        mtaSts: withPolicy("enforce", ["mx9.example.com"], fetched({ elapsedMs: 900 })),
      }),
      strategy: S({ mtaStsTimeout: 500 }),
      expect: { kind: "verified" },
    },
    {
      name: "connect failure, require",
      facts: facts({
        mtaSts: stsFailure(
          true,
          "Could not reach policy host.",
          fetched({ outcome: "unreachable", httpStatus: null }),
        ),
      }),
      strategy: REQUIRE_STS,
      expect: { kind: "deferred", text: "Could not reach policy host." },
    },
    {
      name: "404 HTML body, require: parsed, PERM",
      facts: facts({
        mtaSts: stsFailure(
          false,
          "Failed to parse policy: No 'mx' entries found.",
          fetched({ httpStatus: 404 }),
        ),
      }),
      strategy: REQUIRE_STS,
      expect: { kind: "bounced", text: "Failed to parse policy: No 'mx' entries found." },
    },
    {
      name: "404 body, optional: no policy",
      facts: facts({
        mtaSts: stsFailure(
          false,
          "Failed to parse policy: No 'mx' entries found.",
          fetched({ httpStatus: 404 }),
        ),
      }),
      expect: { kind: "verified" },
    },
    {
      name: "bad mode, require",
      facts: facts({
        mtaSts: stsFailure(false, 'Failed to parse policy: Unsupported mode "strict".'),
      }),
      strategy: REQUIRE_STS,
      expect: { kind: "bounced", text: 'Failed to parse policy: Unsupported mode "strict".' },
    },
    {
      name: "body over 1 MiB, require",
      facts: facts({
        mtaSts: stsFailure(
          false,
          "Failed to parse policy: Policy too large",
          fetched({ outcome: "too-large" }),
        ),
      }),
      strategy: REQUIRE_STS,
      expect: { kind: "bounced", text: "Failed to parse policy: Policy too large" },
    },
    {
      name: "other HTTP error, require",
      facts: facts({
        mtaSts: stsFailure(true, "Failed to fetch policy.", fetched({ outcome: "failed" })),
      }),
      strategy: REQUIRE_STS,
      expect: { kind: "deferred", text: "Failed to fetch policy." },
    },
    {
      name: "policy parses: used (3xx status ignored)",
      facts: facts({ mtaSts: withPolicy("enforce", [MX1], fetched({ httpStatus: 301 })) }),
      strategy: REQUIRE_STS,
      expect: { kind: "verified", by: "pki" },
    },
    {
      name: "policy host address refused by the filter: unknown",
      facts: facts({
        mtaSts: {
          ...withPolicy("none"),
          fetch: fetched({ outcome: "refused", detail: "10.0.0.1: private" }),
          policy: null,
        },
      }),
      expect: { kind: "unknown", reason: /not probed/ },
    },
    {
      name: "MTA-STS facts still missing: pending",
      facts: facts({ mtaSts: undefined, status: "collecting" }),
      expect: { kind: "pending" },
    },
    {
      name: "MTA-STS facts missing after the probe stopped: unknown",
      facts: facts({
        mtaSts: undefined,
        status: "stopped",
        stopReason: "the deadline of 30000 ms passed",
      }),
      expect: { kind: "unknown", reason: /deadline/ },
    },
  ];
  test.each(rows)("$name", (row) => void check(row));
});

describe("table B: MX and IP lookups", () => {
  const implicit = mx(["example.com"], { outcome: "nxdomain", records: [], isImplicit: true });
  const rows: Row[] = [
    {
      name: "MX NXDOMAIN: implicit MX, delivered to the domain",
      facts: facts({ mx: implicit, hosts: [host("example.com")] }),
      expect: { kind: "verified", host: "example.com" },
    },
    {
      name: "implicit MX without A/AAAA: PERM no MX record found.",
      facts: facts({
        mx: implicit,
        hosts: [
          host(
            "example.com",
            { ips: { outcome: "nxdomain", addresses: [], cut: [], elapsedMs: 1 } },
            [],
          ),
        ],
      }),
      expect: { kind: "bounced", errorKind: "DnsError", text: "no MX record found." },
    },
    {
      name: "MX SERVFAIL: route TEMP",
      facts: facts({
        mx: mx([], {
          outcome: "error",
          error: "SERVFAIL from 192.0.2.53:53",
          dnssec: "indeterminate",
        }),
      }),
      expect: {
        kind: "deferred",
        errorKind: "DnsError",
        text: "DNS resolution error: SERVFAIL from 192.0.2.53:53",
        host: null,
      },
    },
    {
      name: "null MX: route PERM",
      facts: facts({ mx: mx([], { records: [{ preference: 0, exchange: "." }], isNullMx: true }) }),
      expect: {
        kind: "bounced",
        errorKind: "DnsError",
        text: "Domain does not accept messages (null MX)",
      },
    },
    {
      name: "MX host NXDOMAIN: PERM record not found for MX",
      facts: facts({
        hosts: [
          host(MX1, { ips: { outcome: "nxdomain", addresses: [], cut: [], elapsedMs: 1 } }, []),
        ],
      }),
      expect: { kind: "bounced", errorKind: "ConnectionError", text: "record not found for MX" },
    },
    {
      name: "MX host lookup error: TEMP lookup error",
      facts: facts({
        hosts: [
          host(
            MX1,
            {
              ips: {
                outcome: "error",
                addresses: [],
                cut: [],
                error: "timed out after 2000 ms",
                elapsedMs: 1,
              },
            },
            [],
          ),
        ],
      }),
      expect: {
        kind: "deferred",
        errorKind: "ConnectionError",
        text: "lookup error: DNS resolution error: timed out after 2000 ms",
      },
    },
    {
      name: "MX host resolves to nothing usable: TEMP",
      facts: facts({
        hosts: [host(MX1, { ips: { outcome: "empty", addresses: [], cut: [], elapsedMs: 1 } }, [])],
      }),
      expect: {
        kind: "deferred",
        errorKind: "DnsError",
        text: `No IP addresses found for "${MX1}".`,
      },
    },
    {
      name: "MX host only loopback: PERM",
      facts: facts({
        hosts: [
          host(MX1, {}, [address("127.0.0.1", { refused: "loopback (RFC 1122) 127.0.0.0/8" })]),
        ],
      }),
      expect: {
        kind: "bounced",
        errorKind: "ConnectionError",
        text: "host resolves loopback address",
      },
    },
    {
      name: "loopback drop not applied when private addresses are allowed",
      facts: facts({
        source: { ...facts().source, privateAddressesAllowed: true },
        hosts: [host(MX1, {}, [address("127.0.0.2")])],
      }),
      expect: { kind: "verified" },
    },
    {
      name: "loopback dropped, the public address used",
      facts: facts({
        hosts: [
          host(MX1, {}, [address("127.0.0.1", { refused: "loopback" }), address("192.0.2.7")]),
        ],
      }),
      expect: { kind: "verified" },
    },
    {
      name: "private address refused by the filter: unknown",
      facts: facts({
        hosts: [host(MX1, {}, [address("10.0.0.5", { refused: "private (RFC 1918) 10.0.0.0/8" })])],
      }),
      expect: { kind: "unknown", reason: /10\.0\.0\.5.*not probed/ },
    },
    {
      name: "MX still being looked up: pending",
      facts: facts({ mx: undefined, status: "collecting" }),
      expect: { kind: "pending", reason: /MX/ },
    },
    {
      name: "host addresses still missing: pending",
      facts: facts({ hosts: [{ name: MX1, addresses: [] }], status: "collecting" }),
      expect: { kind: "pending" },
    },
  ];
  test.each(rows)("$name", (row) => void check(row));
});

describe("table C: MTA-STS authorisation and DANE lookup (S)", () => {
  const rows: Row[] = [
    {
      name: "mode none: every MX authorised",
      facts: facts({ mtaSts: withPolicy("none", ["other.example.org"]) }),
      expect: { kind: "verified" },
    },
    {
      name: "testing, no match: continue (reported only)",
      facts: facts({ mtaSts: withPolicy("testing", ["other.example.org"]) }),
      expect: { kind: "verified" },
    },
    {
      name: "enforce, no match: PERM",
      facts: facts({ mtaSts: withPolicy("enforce", ["other.example.org"]) }),
      expect: {
        kind: "bounced",
        errorKind: "MtaStsError",
        text: `MX "${MX1}" not authorized by policy.`,
        host: MX1,
      },
    },
    {
      name: "enforce, one-label wildcard matches",
      facts: facts({ mtaSts: withPolicy("enforce", ["*.example.com"]) }),
      expect: { kind: "verified" },
    },
    {
      name: "enforce, wildcard does not match two labels",
      facts: facts({
        mx: mx(["a.mx1.example.com"]),
        hosts: [host("a.mx1.example.com")],
        mtaSts: withPolicy("enforce", ["*.example.com"]),
      }),
      expect: { kind: "bounced", text: 'MX "a.mx1.example.com" not authorized by policy.' },
    },
    {
      name: "bogus MX, dane optional: TEMP",
      facts: facts({ mx: mx([MX1], { outcome: "bogus", dnssec: "bogus" }) }),
      expect: { kind: "deferred", errorKind: "DaneError", text: "Bogus MX records were found" },
    },
    {
      name: "bogus MX, dane require: TEMP",
      facts: facts({ mx: mx([MX1], { outcome: "bogus", dnssec: "bogus" }) }),
      strategy: REQUIRE_DANE,
      expect: { kind: "deferred", text: "Bogus MX records were found" },
    },
    {
      name: "bogus MX, dane disable: delivered",
      facts: facts({ mx: mx([MX1], { outcome: "bogus", dnssec: "bogus" }) }),
      strategy: S({ dane: "disable" }),
      expect: { kind: "verified" },
    },
    {
      name: "bogus MX through a non-validating resolver: the upstream SERVFAIL, route TEMP",
      facts: facts({
        resolver: { validates: false, answersOverTcp: true, rootDnskeyAd: false, detail: "" },
        mx: mx([MX1], { outcome: "bogus", dnssec: "bogus", error: "SERVFAIL" }),
      }),
      expect: { kind: "deferred", errorKind: "DnsError", host: null },
    },
    {
      name: "insecure MX, dane optional: no DANE",
      facts: facts(),
      expect: { kind: "verified", by: "pki" },
    },
    {
      name: "insecure MX, dane require: PERM",
      facts: facts(),
      strategy: REQUIRE_DANE,
      expect: { kind: "bounced", errorKind: "DaneError", text: "No TLSA DNSSEC records found" },
    },
    {
      name: "implicit MX (indeterminate) with TLSA, dane optional: no DANE",
      facts: facts({
        mx: mx(["example.com"], {
          outcome: "nxdomain",
          dnssec: "secure",
          records: [],
          isImplicit: true,
        }),
        hosts: [host("example.com", { tlsa: tlsa({}) })],
      }),
      expect: { kind: "verified", by: "pki" },
    },
    {
      name: "secure MX + usable TLSA: DANE",
      facts: daneWorld(),
      expect: { kind: "verified", by: "dane" },
    },
    {
      name: "secure MX, only usage 0/1 records, optional: no DANE",
      facts: daneWorld({}, { records: [{ ...ee, usage: 1 }], usable: [] }),
      expect: { kind: "verified", by: "pki" },
    },
    {
      name: "secure MX, no usable records, require: PERM",
      facts: daneWorld({}, { records: [{ ...ee, usage: 1 }], usable: [] }),
      strategy: REQUIRE_DANE,
      expect: { kind: "bounced", text: "No valid TLSA records were found" },
    },
    {
      name: "bogus TLSA: TEMP even when optional",
      facts: daneWorld({}, { outcome: "bogus", secure: false, usable: [] }),
      expect: { kind: "deferred", errorKind: "DaneError", text: "Bogus TLSA records were found" },
    },
    {
      name: "TLSA missing, optional: no DANE",
      facts: daneWorld({}, { outcome: "nxdomain", records: [], usable: [] }),
      expect: { kind: "verified", by: "pki" },
    },
    {
      name: "TLSA missing, require: PERM",
      facts: daneWorld({}, { outcome: "nodata", records: [], usable: [] }),
      strategy: REQUIRE_DANE,
      expect: { kind: "bounced", text: "No TLSA DNSSEC records found" },
    },
    {
      name: "TLSA answer not secure, require: PERM",
      facts: daneWorld({}, { secure: false, usable: [] }),
      strategy: REQUIRE_DANE,
      expect: { kind: "bounced", text: "No TLSA DNSSEC records found" },
    },
    {
      name: "TLSA SERVFAIL under optional: TEMP DnsError, no downgrade",
      facts: daneWorld({}, { outcome: "error", error: "SERVFAIL", records: [], usable: [] }),
      expect: { kind: "deferred", errorKind: "DnsError", text: "DNS resolution error: SERVFAIL" },
    },
    {
      name: "resolver cannot validate: dane optional never applies",
      facts: {
        ...daneWorld(badCert()),
        resolver: { validates: false, answersOverTcp: false, rootDnskeyAd: true, detail: "" },
      },
      expect: { kind: "deferred", errorKind: "TlsError" },
    },
    {
      name: "resolver cannot validate: dane require bounces",
      facts: {
        ...daneWorld(),
        resolver: { validates: false, answersOverTcp: true, rootDnskeyAd: false, detail: "" },
      },
      strategy: REQUIRE_DANE,
      expect: { kind: "bounced", text: "No TLSA DNSSEC records found" },
    },
    {
      name: "DANE off by strategy: TLSA ignored",
      facts: daneWorld(badCert()),
      strategy: S({ dane: "disable" }),
      expect: { kind: "deferred", errorKind: "TlsError" },
    },
    {
      name: "resolver capability still unknown: pending",
      facts: { ...daneWorld(), resolver: undefined, status: "collecting" },
      expect: { kind: "pending", reason: /validates DNSSEC/ },
    },
  ];
  test.each(rows)("$name", (row) => void check(row));
});

describe("table D: connection, STARTTLS and TLS (S)", () => {
  const one = (over: Partial<AddressFacts>) =>
    facts({ hosts: [host(MX1, {}, [address("192.0.2.1", over)])] });
  const tlsOf = (over: Partial<NonNullable<AddressFacts["tls"]>>) => ({
    tls: { ...GOOD_TLS, ...over },
  });
  const rows: Row[] = [
    {
      name: "connect refused on the only address: TEMP",
      facts: one({
        connect: {
          ok: false,
          elapsedMs: 1,
          timeoutMs: 10_000,
          timedOut: false,
          error: "I/O error: Connection refused (os error 111)",
        },
      }),
      expect: {
        kind: "deferred",
        errorKind: "ConnectionError",
        text: "I/O error: Connection refused (os error 111)",
      },
    },
    {
      name: "connect timeout: TEMP Connection timeout",
      facts: one({ connect: { ok: false, elapsedMs: 10_000, timeoutMs: 10_000, timedOut: true } }),
      expect: { kind: "deferred", text: "Connection timeout" },
    },
    {
      name: "connect fails on the first address: the next address delivers",
      facts: facts({
        hosts: [
          host(MX1, {}, [
            address("192.0.2.1", {
              connect: {
                ok: false,
                elapsedMs: 1,
                timeoutMs: 1,
                timedOut: false,
                error: "I/O error: x",
              },
            }),
            address("192.0.2.2"),
          ]),
        ],
      }),
      expect: { kind: "verified", host: MX1 },
    },
    {
      name: "greeting 554: PERM UnexpectedResponse, command empty",
      facts: one({ greeting: reply(554, ["5.7.1 go away"]) }),
      expect: {
        kind: "bounced",
        errorKind: "UnexpectedResponse",
        text: 'Unexpected response for "": Code: 554, Enhanced code: 5.7.1, Message: go away',
      },
    },
    {
      name: "greeting 421: TEMP",
      facts: one({ greeting: reply(421, ["busy"]) }),
      expect: { kind: "deferred", errorKind: "UnexpectedResponse" },
    },
    {
      name: "greeting timeout: TEMP",
      facts: one({ greeting: timeout() }),
      expect: {
        kind: "deferred",
        errorKind: "ConnectionError",
        text: "Timeout while reading greeting",
      },
    },
    {
      name: "greeting fails: the remaining addresses are skipped",
      facts: facts({
        hosts: [
          host(MX1, {}, [address("192.0.2.1", { greeting: reply(421) }), address("192.0.2.2")]),
        ],
      }),
      expect: { kind: "deferred" },
    },
    {
      name: "garbage greeting: TEMP Unparseable SMTP reply",
      facts: one({ greeting: { ...timeout(), outcome: "unparseable", elapsedMs: 1 } }),
      expect: { kind: "deferred", text: "Unparseable SMTP reply" },
    },
    {
      name: "EHLO 550: PERM with the EHLO command",
      facts: one({ ehlo: { ...reply(550, ["no"]), capabilities: [], command: "EHLO probe.test" } }),
      expect: {
        kind: "bounced",
        text: 'Unexpected response for "EHLO probe.test": Code: 550, Enhanced code: 0.0.0, Message: no',
      },
    },
    {
      name: "EHLO timeout: TEMP",
      facts: one({ ehlo: { ...timeout(), capabilities: [], command: "EHLO probe.test" } }),
      expect: { kind: "deferred", text: "Timeout while reading EHLO response" },
    },
    {
      name: "startTls disable: plaintext",
      facts: one({}),
      strategy: S({ startTls: "disable" }),
      expect: { kind: "plaintext", why: "startTls-disabled" },
    },
    {
      name: "STARTTLS not advertised, not strict: plaintext",
      facts: one(noStartTls()),
      expect: { kind: "plaintext", why: "starttls-not-advertised" },
    },
    {
      name: "STARTTLS not advertised, startTls require: PERM",
      facts: one(noStartTls()),
      strategy: S({ startTls: "require" }),
      expect: { kind: "bounced", errorKind: "TlsError", text: "STARTTLS not advertised by host." },
    },
    {
      name: "STARTTLS not advertised, REQUIRETLS: PERM",
      facts: one(noStartTls()),
      options: { requireTls: true },
      expect: { kind: "bounced", text: "STARTTLS not advertised by host." },
    },
    {
      name: "STARTTLS not advertised, mtaSts require in S: strict",
      facts: one(noStartTls()),
      strategy: S({ mtaSts: "require" }),
      route: DEFAULT,
      expect: { kind: "bounced", text: "STARTTLS not advertised by host." },
    },
    {
      name: "STARTTLS 454, not strict: plaintext",
      facts: one({ startTls: reply(454, ["4.7.0 TLS not available"]), tls: undefined }),
      expect: { kind: "plaintext", why: "starttls-refused" },
    },
    {
      name: "STARTTLS 454, strict: TEMP UnexpectedResponse",
      facts: one({ startTls: reply(454, ["4.7.0 TLS not available"]), tls: undefined }),
      strategy: S({ startTls: "require" }),
      expect: {
        kind: "deferred",
        errorKind: "UnexpectedResponse",
        text: 'Unexpected response for "STARTTLS": Code: 454, Enhanced code: 4.7.0, Message: TLS not available',
      },
    },
    {
      name: "STARTTLS 554, strict: PERM",
      facts: one({ startTls: reply(554, ["5.7.0 no"]), tls: undefined }),
      strategy: S({ startTls: "require" }),
      expect: { kind: "bounced", errorKind: "UnexpectedResponse" },
    },
    {
      name: "STARTTLS reply after S.tlsTimeout: TEMP",
      facts: one({ startTls: reply(220, ["go"], { elapsedMs: 800 }) }),
      strategy: S({ tlsTimeout: 500 }),
      expect: { kind: "deferred", errorKind: "TlsError", text: "TLS handshake timed out" },
    },
    {
      name: "STARTTLS reply never came, probe limit >= S.tlsTimeout: TEMP",
      facts: one({ startTls: timeout(1000), tls: undefined }),
      strategy: S({ tlsTimeout: 1000 }),
      expect: { kind: "deferred", text: "TLS handshake timed out" },
    },
    {
      name: "STARTTLS reply never came, the strategy waits longer: unknown",
      facts: one({ startTls: timeout(1000), tls: undefined }),
      expect: { kind: "unknown", reason: /gave up on the STARTTLS reply after 1000 ms.*180000 ms/ },
    },
    {
      name: "STARTTLS I/O error: TEMP",
      facts: one({
        startTls: {
          ...timeout(),
          outcome: "closed",
          elapsedMs: 2,
          error: "unexpected end of file",
        },
        tls: undefined,
      }),
      expect: { kind: "deferred", text: "I/O error: unexpected end of file" },
    },
    {
      name: "unparseable STARTTLS reply, not strict: TEMP",
      facts: one({
        startTls: { ...timeout(), outcome: "unparseable", elapsedMs: 2 },
        tls: undefined,
      }),
      expect: { kind: "deferred", text: "Other TLS error" },
    },
    {
      name: "unparseable STARTTLS reply, strict: PERM",
      facts: one({
        startTls: { ...timeout(), outcome: "unparseable", elapsedMs: 2 },
        tls: undefined,
      }),
      strategy: S({ startTls: "require" }),
      expect: { kind: "bounced", text: "Other TLS error" },
    },
    {
      name: "MX name not a valid TLS name, not strict: TEMP",
      facts: facts({ mx: mx(["bad name.example.com"]), hosts: [host("bad name.example.com")] }),
      expect: { kind: "deferred", text: "Invalid hostname" },
    },
    {
      name: "handshake failure: TEMP even when strict",
      facts: one(tlsOf({ outcome: "failed", error: "wrong version number", chain: [] })),
      strategy: S({ startTls: "require" }),
      expect: { kind: "deferred", text: "Handshake failed: wrong version number" },
    },
    {
      name: "handshake slower than S.tlsTimeout (own timer): TEMP",
      facts: one(tlsOf({ elapsedMs: 700 })),
      strategy: S({ tlsTimeout: 600 }),
      expect: { kind: "deferred", text: "TLS handshake timed out" },
    },
    {
      name: "STARTTLS reply and handshake each under tlsTimeout: ok (two timers)",
      facts: one({
        startTls: reply(220, ["go"], { elapsedMs: 500 }),
        ...tlsOf({ elapsedMs: 500 }),
      }),
      strategy: S({ tlsTimeout: 600 }),
      expect: { kind: "verified" },
    },
    {
      name: "handshake timed out in the probe, strategy waits longer: unknown",
      facts: one(tlsOf({ outcome: "timeout", elapsedMs: 1000 })),
      expect: { kind: "unknown", reason: /TLS handshake after 1000 ms/ },
    },
    {
      name: "invalid certificate, PKI: TEMP",
      facts: one(badCert("Expired")),
      expect: {
        kind: "deferred",
        errorKind: "TlsError",
        text: "Handshake failed: invalid peer certificate: Expired",
      },
    },
    {
      name: "invalid certificate, allowInvalidCerts: TLS unchecked",
      facts: one(badCert()),
      strategy: INVALID_TLS,
      expect: { kind: "tls-unchecked" },
    },
    {
      name: "invalid certificate, allowInvalidCerts but enforce: PKI, TEMP",
      facts: { ...one(badCert()), mtaSts: withPolicy("enforce") },
      strategy: INVALID_TLS,
      expect: {
        kind: "deferred",
        text: "Handshake failed: invalid peer certificate: UnknownIssuer",
      },
    },
    {
      name: "allowInvalidCerts with a testing policy: still unchecked",
      facts: { ...one(badCert()), mtaSts: withPolicy("testing") },
      strategy: INVALID_TLS,
      expect: { kind: "tls-unchecked" },
    },
    {
      name: "handshake ok and PKI passes: verified",
      facts: one({}),
      expect: { kind: "verified", by: "pki" },
    },
    {
      name: "startTls disable wins over DANE",
      facts: daneWorld(),
      strategy: S({ startTls: "disable" }),
      expect: { kind: "plaintext", why: "startTls-disabled" },
    },
    {
      name: "startTls disable wins over MTA-STS enforce",
      facts: { ...one({}), mtaSts: withPolicy("enforce") },
      strategy: S({ startTls: "disable" }),
      expect: { kind: "plaintext" },
    },
    {
      name: "testing mode is not strict: no STARTTLS means plaintext",
      facts: { ...one(noStartTls()), mtaSts: withPolicy("testing") },
      expect: { kind: "plaintext", why: "starttls-not-advertised" },
    },
    {
      name: "enforce is strict: no STARTTLS bounces",
      facts: { ...one(noStartTls()), mtaSts: withPolicy("enforce") },
      expect: { kind: "bounced", text: "STARTTLS not advertised by host." },
    },
    {
      name: "DANE is strict: no STARTTLS bounces",
      facts: daneWorld(noStartTls()),
      expect: { kind: "bounced", text: "STARTTLS not advertised by host." },
    },
    {
      name: "STARTTLS reply still missing: pending",
      facts: { ...one({ startTls: undefined, tls: undefined }), status: "collecting" },
      expect: { kind: "pending" },
    },
  ];
  test.each(rows)("$name", (row) => void check(row));
});

describe("table E: DANE after the handshake", () => {
  const rows: Row[] = [
    {
      name: "DANE-EE match (self-signed, PKI would fail): verified by DANE",
      facts: daneWorld(badCert()),
      expect: { kind: "verified", by: "dane" },
    },
    {
      name: "DANE-TA match: verified by DANE",
      facts: daneWorld(
        { dane: { outcome: "match", by: "ta", record: ta, reason: "" } },
        { records: [ta], usable: [ta] },
      ),
      expect: { kind: "verified", by: "dane" },
    },
    {
      name: "no certificates: TEMP",
      facts: daneWorld({ dane: { outcome: "no-certificates", reason: "" } }),
      expect: { kind: "deferred", text: "No certificates were provided by host" },
    },
    {
      name: "certificate does not parse: TEMP",
      facts: daneWorld({ dane: { outcome: "parse-error", reason: "" } }),
      expect: { kind: "deferred", text: "Failed to parse X.509 certificate" },
    },
    {
      name: "nothing matches: PERM, even under dane optional",
      facts: daneWorld({ dane: { outcome: "no-match", reason: "" } }),
      expect: {
        kind: "bounced",
        errorKind: "DaneError",
        text: "No matching certificates found in TLSA records",
      },
    },
    {
      name: "DANE wins over allowInvalidCerts",
      facts: daneWorld({ ...badCert(), dane: { outcome: "no-match", reason: "" } }),
      strategy: INVALID_TLS,
      expect: { kind: "bounced" },
    },
    {
      name: "DANE check still missing: pending",
      facts: { ...daneWorld({ dane: undefined }), status: "collecting" },
      expect: { kind: "pending" },
    },
  ];
  test.each(rows)("$name", (row) => void check(row));
});

describe("table F and interactions: the route outcome", () => {
  const mtaStsEnforce = withPolicy("enforce", [MX2]);
  const slowMx2 = host(MX2, {}, [
    address("192.0.2.2", {
      connect: { ok: false, elapsedMs: 10_000, timeoutMs: 10_000, timedOut: true },
    }),
  ]);
  test("the last MX decides: MX1 not authorised (PERM), MX2 times out (TEMP) → deferred", () => {
    const f = facts({
      mx: mx([MX1, MX2]),
      mtaSts: withPolicy("enforce", [MX2]),
      hosts: [host(MX1), slowMx2],
    });
    const outcome = check({
      name: "",
      facts: f,
      expect: { kind: "deferred", text: "Connection timeout", host: MX2 },
    });
    expect(outcome.trace.map((t) => t.host)).toEqual([null, MX1, MX2, MX2]);
  });
  test("the last MX decides, other order: MX1 times out, MX2 not authorised → bounced", () => {
    const slowMx1 = { ...slowMx2, name: MX1 };
    const f = facts({
      mx: mx([MX1, MX2]),
      mtaSts: withPolicy("enforce", [MX1]),
      hosts: [slowMx1, host(MX2)],
    });
    check({
      name: "",
      facts: f,
      expect: { kind: "bounced", text: `MX "${MX2}" not authorized by policy.`, host: MX2 },
    });
  });
  test("a session on MX1 ends the attempt: MX2 is never tried", () => {
    const f = facts({
      mx: mx([MX1, MX2]),
      mtaSts: mtaStsEnforce,
      hosts: [host(MX1, {}, [address("192.0.2.1", noStartTls())]), host(MX2)],
    });
    check({
      name: "",
      facts: f,
      strategy: S({ mtaSts: "disable" }),
      expect: { kind: "plaintext", host: MX1 },
    });
  });
  test("MX1 fails, MX2 delivers", () => {
    const f = facts({
      mx: mx([MX1, MX2]),
      hosts: [host(MX1, {}, [address("192.0.2.1", badCert())]), host(MX2)],
    });
    check({ name: "", facts: f, expect: { kind: "verified", host: MX2 } });
  });
  test("S0 drives MTA-STS only: require in S does not make a missing policy fatal", () => {
    check({
      name: "",
      facts: facts(),
      route: DEFAULT,
      strategy: S({ mtaSts: "require" }),
      expect: { kind: "verified" },
    });
    check({
      name: "",
      facts: facts(),
      route: S({ mtaSts: "require" }),
      strategy: DEFAULT,
      expect: { kind: "bounced", text: "Record not found: NXDomain" },
    });
  });
  test("S0's tlsTimeout and S's mtaStsTimeout are never used", () => {
    const f = facts({
      mtaSts: withPolicy("testing", [MX1], fetched({ elapsedMs: 900 })),
      hosts: [host(MX1, {}, [address("192.0.2.1", { tls: { ...GOOD_TLS, elapsedMs: 900 } })])],
    });
    check({
      name: "",
      facts: f,
      route: S({ tlsTimeout: 1, mtaStsTimeout: 1000 }),
      strategy: S({ mtaStsTimeout: 1, tlsTimeout: 1000 }),
      expect: { kind: "verified" },
    });
  });
  test("hostStrategy is asked per MX host", () => {
    const f = facts({
      mx: mx([MX1, MX2]),
      hosts: [
        host(MX1, {}, [address("192.0.2.1", badCert())]),
        host(MX2, {}, [address("192.0.2.2", badCert())]),
      ],
    });
    const outcome = decide(
      { routeStrategy: DEFAULT, hostStrategy: (h) => (h === MX2 ? INVALID_TLS : DEFAULT) },
      f,
    );
    expect(outcome).toMatchObject({ kind: "tls-unchecked", host: MX2, pkiWouldPass: false });
  });
  test("an error carries its JMAP errorType and last_error word", () => {
    const outcome = check({
      name: "",
      facts: facts(),
      strategy: REQUIRE_DANE,
      expect: { kind: "bounced" },
    });
    expect("error" in outcome && outcome.error).toMatchObject({
      kind: "DaneError",
      errorType: "daneError",
      lastError: "dane",
      temporary: false,
      entity: MX1,
    });
  });
  test("the DANE-off note is given when the resolver cannot validate", () => {
    const outcome = decideFor(
      DEFAULT,
      facts({
        resolver: { validates: false, answersOverTcp: false, rootDnskeyAd: false, detail: "" },
      }),
    );
    expect(outcome.notes.join(" ")).toMatch(/turns DANE off/);
  });
  test("hosts past maxMxHosts are noted, never tried", () => {
    const outcome = decideFor(DEFAULT, facts({ mx: mx([MX1], { cutHosts: ["mx3.example.com"] }) }));
    expect(outcome.notes.join(" ")).toMatch(/mx3\.example\.com/);
  });
});

describe("as the rules pick (route-level S0 for MTA-STS, S per MX; shared delivery reference §1.2 steps 1 and 5)", () => {
  const stored = [DEFAULT, INVALID_TLS, S({ name: "sts-required", mtaSts: "require" })];
  const names = new Set(stored.map((s) => s.name));
  const picksOf = (tls: unknown, f: DeliveryFacts) =>
    pickStrategies({
      tls,
      recipient: f.target.domain,
      mxHosts: f.mx?.hosts ?? [],
      storedNames: names,
    });
  const DEFAULT_TLS = {
    match: { "0": { if: "retry_num > 0 && last_error == 'tls'", then: "'invalid-tls'" } },
    else: "'default'",
  };

  test("the default rules: a bad certificate defers the first attempt; the TLS retry delivers without a check", () => {
    const f = facts({ hosts: [host(MX1, {}, [address("192.0.2.1", badCert())])] });
    const picks = picksOf(DEFAULT_TLS, f);
    expect(decideAsPicked(picks.first, stored, f)).toMatchObject({
      kind: "decided",
      outcome: { kind: "deferred" },
    });
    expect(decideAsPicked(picks.retry, stored, f)).toMatchObject({
      kind: "decided",
      outcome: { kind: "tls-unchecked", host: MX1 },
    });
  });

  test("a per-MX rule applies to its host only, and the route-level pick (mx empty) drives MTA-STS", () => {
    const f = facts({
      mx: mx([MX1, MX2]),
      hosts: [
        host(MX1, {}, [address("192.0.2.1", badCert())]),
        host(MX2, {}, [address("192.0.2.2", badCert())]),
      ],
    });
    // mx2 relaxed: the last MX decides, so the first attempt ends there without a check.
    const perMx = picksOf(
      { match: { "0": { if: `mx == '${MX2}'`, then: "'invalid-tls'" } }, else: "'default'" },
      f,
    );
    expect(decideAsPicked(perMx.first, stored, f)).toMatchObject({
      kind: "decided",
      outcome: { kind: "tls-unchecked", host: MX2 },
    });
    // A rule on the MX host never reaches the route-level pass: an MTA-STS requirement picked
    // for mx1 does not make the missing policy fatal (the route pick is the else branch).
    const stsOnMx = picksOf(
      { match: { "0": { if: `mx == '${MX1}'`, then: "'sts-required'" } }, else: "'invalid-tls'" },
      f,
    );
    expect(stsOnMx.first.route).toEqual({ kind: "strategy", name: "invalid-tls" });
    const outcome = decideAsPicked(stsOnMx.first, stored, f);
    expect(outcome).toMatchObject({
      kind: "decided",
      outcome: { kind: "tls-unchecked", host: MX2 },
    });
    // Picked for every pass, the same requirement bounces at the route level.
    const stsEverywhere = picksOf({ match: {}, else: "'sts-required'" }, f);
    expect(decideAsPicked(stsEverywhere.first, stored, f)).toMatchObject({
      kind: "decided",
      outcome: { kind: "bounced", host: null },
    });
  });

  test("a name no strategy has delivers with Stalwart's built-in strategy; a lookup cannot be told here", () => {
    const f = facts({ hosts: [host(MX1, {}, [address("192.0.2.1", badCert())])] });
    // Built-in: all optional and certificates checked, so the bad certificate defers.
    const gone = picksOf({ match: {}, else: "'deleted-one'" }, f);
    expect(gone.first.route).toEqual({ kind: "built-in", name: "deleted-one" });
    expect(decideAsPicked(gone.first, stored, f)).toMatchObject({
      kind: "decided",
      outcome: { kind: "deferred" },
    });
    // mta.rs l.319-326: all optional, certificates checked, 3 min handshake, 5 min MTA-STS.
    expect(builtInStrategy("x")).toEqual({
      name: "x",
      allowInvalidCerts: false,
      dane: "optional",
      mtaSts: "optional",
      startTls: "optional",
      tlsTimeout: 180_000,
      mtaStsTimeout: 300_000,
    });
    // Picks made before the MX answer came in cover no host: nothing is claimed for it.
    const early = pickStrategies({
      tls: DEFAULT_TLS,
      recipient: f.target.domain,
      mxHosts: [],
      storedNames: names,
    });
    expect(decideAsPicked(early.first, stored, f)).toEqual({
      kind: "cannot-tell",
      reason: `the rules were not evaluated for MX host ${MX1}`,
    });
    const lookup = picksOf(
      {
        match: { "0": { if: "is_local_domain(rcpt_domain)", then: "'invalid-tls'" } },
        else: "'default'",
      },
      f,
    );
    expect(decideAsPicked(lookup.first, stored, f)).toMatchObject({ kind: "cannot-tell" });
  });
});
