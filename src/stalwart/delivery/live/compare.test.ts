import { describe, expect, test } from "vitest";
import type { AddressFacts, DeliveryFacts, HostFacts, MtaStsFacts, Policy } from "../facts";
import { TEST_SOURCE } from "../test-source";
import { compareWithStalwart, type Disagreement } from "./compare";
import type { LiveEvent } from "./events";
import { summarizeLiveTest } from "./summary";

// compareWithStalwart, one table row per fact and way of disagreeing (README "Testing a
// destination", shared delivery reference §3.3): the page's facts for example.com beside Stalwart's
// own events.

const POLICY: Policy = {
  id: "20260101",
  mode: "enforce",
  mx: [{ type: "startsWith", value: "example.com" }],
  maxAge: 86400,
};

const TLS_OK: NonNullable<AddressFacts["tls"]> = {
  outcome: "ok",
  elapsedMs: 1,
  timeoutMs: 1000,
  chain: [],
  pki: { ok: true },
};
const PKI_REFUSED = { ...TLS_OK, pki: { ok: false, reason: "UnknownIssuer" } };

const address = (patch: Partial<AddressFacts> = {}): AddressFacts => ({
  address: "192.0.2.10",
  connect: { ok: true, elapsedMs: 1, timeoutMs: 1000, timedOut: false },
  ehlo: {
    outcome: "reply",
    code: 250,
    lines: [],
    elapsedMs: 1,
    timeoutMs: 1000,
    command: "EHLO probe",
    capabilities: ["PIPELINING", "STARTTLS"],
  },
  tls: TLS_OK,
  done: true,
  ...patch,
});

const host = (patch: Partial<HostFacts> = {}): HostFacts => ({
  name: "mx.example.com",
  tlsa: {
    outcome: "nxdomain",
    secure: false,
    records: [],
    usable: [],
    ede: [],
    elapsedMs: 1,
  },
  addresses: [address()],
  ...patch,
});

const sts = (policy: Policy | null): MtaStsFacts => ({
  txt: { outcome: "records", records: [], rcode: "NoError", elapsedMs: 1 },
  record: policy ? { id: policy.id, text: `v=STSv1; id=${policy.id}` } : null,
  fetch: null,
  policy,
  failure: policy ? null : { temporary: false, text: "Record not found: NXDomain" },
});

const MX_ONE: NonNullable<DeliveryFacts["mx"]> = {
  outcome: "records",
  dnssec: "insecure",
  records: [{ preference: 10, exchange: "mx.example.com" }],
  ede: [],
  elapsedMs: 1,
  isNullMx: false,
  isImplicit: false,
  hosts: ["mx.example.com"],
  cutHosts: [],
};

function factsWith(patch: Partial<DeliveryFacts> = {}): DeliveryFacts {
  return {
    target: { input: "example.com", domain: "example.com" },
    collectedAt: "2026-01-01T00:00:00.000Z",
    source: TEST_SOURCE,
    mx: MX_ONE,
    mtaSts: sts(POLICY),
    hosts: [host()],
    status: "complete",
    ...patch,
  };
}

const LIVE_POLICY = {
  id: "20260101",
  mode: "enforce",
  mx: [{ startsWith: "example.com" }],
  max_age: 86400,
} as const;

/** Stalwart's events for example.com: one MX, the policy, one host that succeeds. */
function eventsWith(
  options: {
    mx?: LiveEvent;
    sts?: LiveEvent;
    tlsa?: LiveEvent;
    startTls?: LiveEvent;
    afterTls?: LiveEvent[];
  } = {},
): LiveEvent[] {
  return [
    { type: "mxLookupStart", domain: "example.com" },
    options.mx ?? {
      type: "mxLookupSuccess",
      mxs: [{ exchanges: ["mx.example.com."], preference: 10 }],
      elapsed: 1,
    },
    { type: "mtaStsFetchStart" },
    options.sts ?? {
      type: "mtaStsFetchSuccess",
      policy: { ...LIVE_POLICY, mx: [...LIVE_POLICY.mx] },
      elapsed: 1,
    },
    { type: "deliveryAttemptStart", hostname: "mx.example.com" },
    { type: "mtaStsVerifySuccess" },
    { type: "tlsaLookupStart" },
    options.tlsa ?? { type: "tlsaNotFound", elapsed: 1, reason: "No TLSA DNSSEC records found" },
    { type: "ipLookupStart" },
    { type: "ipLookupSuccess", remoteIps: ["192.0.2.10"], elapsed: 1 },
    { type: "connectionStart", remoteIp: "192.0.2.10" },
    { type: "connectionSuccess", elapsed: 1 },
    { type: "readGreetingStart" },
    { type: "readGreetingSuccess", elapsed: 1 },
    { type: "ehloStart" },
    { type: "ehloSuccess", elapsed: 1 },
    { type: "startTlsStart" },
    options.startTls ?? { type: "startTlsSuccess", elapsed: 1 },
    ...(options.afterTls ?? []),
    { type: "completed" },
  ];
}

const EE_HEX = "aabbcc";
const tlsaEe = (secure = true, usage = 3): HostFacts["tlsa"] => {
  const record = { usage, selector: 1, matchingType: 1, data: EE_HEX };
  return {
    outcome: "records",
    secure,
    records: [record],
    usable: secure ? [record] : [],
    ede: [],
    elapsedMs: 1,
  };
};
const liveEe = (data = [0xaa, 0xbb, 0xcc]): LiveEvent => ({
  type: "tlsaLookupSuccess",
  record: {
    entries: [{ is_end_entity: true, is_spki: true, matching: "Sha256", data }],
    has_end_entities: true,
    has_intermediates: false,
  },
  elapsed: 1,
});
const BAD_CERT = "TLS error: invalid peer certificate: UnknownIssuer";

type Row = [string, DeliveryFacts, LiveEvent[], Partial<Disagreement>[]];

const ROWS: Row[] = [
  ["the same facts: nothing to mark", factsWith(), eventsWith(), []],
  [
    "MX: Stalwart lists another host",
    factsWith(),
    eventsWith({
      mx: {
        type: "mxLookupSuccess",
        mxs: [{ exchanges: ["mx.example.com.", "mx2.example.com."], preference: 10 }],
        elapsed: 1,
      },
    }),
    [
      {
        fact: "mx",
        prediction: "mx.example.com (10)",
        stalwart: "mx.example.com (10), mx2.example.com (10)",
      },
    ],
  ],
  [
    "MX: the same hosts, another preference",
    factsWith(),
    eventsWith({
      mx: {
        type: "mxLookupSuccess",
        mxs: [{ exchanges: ["MX.example.com."], preference: 20 }],
        elapsed: 1,
      },
    }),
    [{ fact: "mx", stalwart: "mx.example.com (20)", isExpected: false }],
  ],
  [
    "MX: a null MX on both sides agrees",
    factsWith({
      mx: {
        ...MX_ONE,
        records: [{ preference: 0, exchange: "" }],
        isNullMx: true,
        hosts: [],
      },
      hosts: [],
    }),
    [{ type: "mxLookupError", reason: "Null MX record", elapsed: 1 }, { type: "completed" }],
    [],
  ],
  [
    "MX: records here, not found there",
    factsWith(),
    [{ type: "mxLookupError", reason: "DNS record not found: Non-Existent Domain", elapsed: 1 }],
    [{ fact: "mx", stalwart: "no MX records (“DNS record not found: Non-Existent Domain”)" }],
  ],
  [
    "MTA-STS: Stalwart still holds a policy (its cache) where none is published",
    factsWith({ mtaSts: sts(null) }),
    eventsWith(),
    [
      {
        fact: "mta-sts",
        prediction: "no policy (Record not found: NXDomain)",
        stalwart: "a policy in mode enforce (id 20260101)",
        why: expect.stringMatching(/cache/),
      },
    ],
  ],
  [
    "MTA-STS: a policy here, not found there",
    factsWith(),
    eventsWith({ sts: { type: "mtaStsNotFound", elapsed: 1 } }),
    [{ fact: "mta-sts", stalwart: "no policy (not found)" }],
  ],
  [
    "MTA-STS: no policy on either side agrees",
    factsWith({ mtaSts: sts(null) }),
    eventsWith({
      sts: { type: "mtaStsFetchError", reason: "Timeout fetching policy.", elapsed: 1 },
    }),
    [],
  ],
  [
    "MTA-STS: an older id, mode and patterns in Stalwart's cache",
    factsWith({
      mtaSts: sts({
        ...POLICY,
        id: "2",
        mode: "testing",
        mx: [{ type: "equals", value: "mx.example.com" }],
      }),
    }),
    eventsWith(),
    [
      { fact: "mta-sts", prediction: "policy mode: testing", stalwart: "policy mode: enforce" },
      {
        fact: "mta-sts",
        prediction: "policy MX patterns: mx.example.com",
        stalwart: "policy MX patterns: *.example.com",
      },
      {
        fact: "mta-sts",
        prediction: "policy id: 2",
        stalwart: "policy id: 20260101",
        why: expect.stringMatching(/older policy/),
      },
    ],
  ],
  [
    "TLSA: signed DANE-EE here, not found there",
    factsWith({ hosts: [host({ tlsa: tlsaEe() })] }),
    eventsWith(),
    [
      {
        fact: "tlsa",
        host: "mx.example.com",
        prediction: "1 signed DANE-EE TLSA record",
        stalwart: "“No TLSA DNSSEC records found”",
      },
    ],
  ],
  [
    "TLSA: the same DANE-EE record agrees",
    factsWith({ hosts: [host({ tlsa: tlsaEe() })] }),
    eventsWith({ tlsa: liveEe() }),
    [],
  ],
  [
    "TLSA: another DANE-EE record",
    factsWith({ hosts: [host({ tlsa: tlsaEe() })] }),
    eventsWith({ tlsa: liveEe([1, 2, 3]) }),
    [{ fact: "tlsa", stalwart: "1 DANE-EE TLSA record" }],
  ],
  [
    "TLSA: unsigned records are 'not found' on both sides",
    factsWith({ hosts: [host({ tlsa: tlsaEe(false) })] }),
    eventsWith(),
    [],
  ],
  [
    "TLSA: DANE-TA only is reported by reason, and agrees",
    factsWith({ hosts: [host({ tlsa: tlsaEe(true, 2) })] }),
    eventsWith({
      tlsa: {
        type: "tlsaLookupError",
        elapsed: 1,
        reason: "TLSA record does not have end entities",
      },
    }),
    [],
  ],
  [
    "TLSA: bogus there",
    factsWith(),
    eventsWith({ tlsa: { type: "tlsaLookupError", elapsed: 1, reason: "Bogus TLSA record" } }),
    [
      {
        fact: "tlsa",
        prediction: "no DNSSEC-signed TLSA records",
        stalwart: "“Bogus TLSA record”",
      },
    ],
  ],
  [
    "STARTTLS: advertised here, not there",
    factsWith(),
    eventsWith({
      startTls: { type: "startTlsError", elapsed: 0, reason: "STARTTLS not advertised by host" },
    }),
    [{ fact: "starttls", prediction: "STARTTLS advertised", stalwart: "STARTTLS not advertised" }],
  ],
  [
    "STARTTLS: refused with 454 is still advertised",
    factsWith(),
    eventsWith({
      startTls: {
        type: "startTlsError",
        elapsed: 1,
        reason: "Unexpected response from server: 454 Try later",
      },
    }),
    [],
  ],
  [
    "PKI: valid here, refused there",
    factsWith(),
    eventsWith({ startTls: { type: "startTlsError", elapsed: 1, reason: BAD_CERT } }),
    [
      {
        fact: "pki",
        prediction: "certificate valid by PKI",
        stalwart: `PKI refuses it: “${BAD_CERT}”`,
      },
    ],
  ],
  [
    "PKI: refused here, valid there",
    factsWith({
      hosts: [
        host({
          addresses: [address({ tls: PKI_REFUSED })],
        }),
      ],
    }),
    eventsWith(),
    [
      {
        fact: "pki",
        prediction: "PKI refuses it: UnknownIssuer",
        stalwart: "certificate valid by PKI",
      },
    ],
  ],
  [
    "DANE: verified by DANE here, never checked there (expected, §3.3)",
    factsWith({
      hosts: [
        host({
          tlsa: tlsaEe(),
          addresses: [
            address({
              tls: PKI_REFUSED,
              dane: { outcome: "match", by: "ee", reason: "DANE-EE 3 1 1 matches" },
            }),
          ],
        }),
      ],
    }),
    eventsWith({
      tlsa: liveEe(),
      startTls: { type: "startTlsError", elapsed: 1, reason: BAD_CERT },
    }),
    [
      {
        fact: "dane",
        host: "mx.example.com",
        isExpected: true,
        stalwart: "DANE never checked: the PKI check refused the certificate first",
      },
    ],
  ],
  [
    "DANE: checked on both sides, different verdicts",
    factsWith({
      hosts: [
        host({
          tlsa: tlsaEe(),
          addresses: [
            address({ dane: { outcome: "no-match", reason: "No matching TLSA record" } }),
          ],
        }),
      ],
    }),
    eventsWith({ tlsa: liveEe(), afterTls: [{ type: "daneVerifySuccess" }] }),
    [
      {
        fact: "dane",
        prediction: "DANE fails: No matching TLSA record",
        stalwart: "DANE matches",
        isExpected: false,
      },
    ],
  ],
  [
    "a host Stalwart's test did not reach is not compared",
    factsWith({
      hosts: [host(), host({ name: "mx2.example.com", addresses: [address({ tls: undefined })] })],
    }),
    eventsWith(),
    [],
  ],
];

describe("compareWithStalwart", () => {
  test.each(ROWS)("%s", (_, facts, events, want) => {
    const got = compareWithStalwart(facts, events);
    expect(got).toHaveLength(want.length);
    for (const [i, expected] of want.entries()) expect(got[i]).toMatchObject(expected);
  });

  test("a partial stream compares only what has arrived", () => {
    const events = eventsWith({
      startTls: { type: "startTlsError", elapsed: 1, reason: BAD_CERT },
    });
    expect(compareWithStalwart(factsWith(), events.slice(0, 4))).toEqual([]);
  });
});

describe("summarizeLiveTest", () => {
  test("steps per address in order, unknown types kept, hostnames without the dot", () => {
    const summary = summarizeLiveTest([
      ...eventsWith({
        afterTls: [{ type: "ehloStart" }, { type: "ehloSuccess", elapsed: 2 }],
      }).slice(0, -1),
      { type: "other", name: "quantumHandshake", raw: {} },
      { type: "quitStart" },
      { type: "quitCompleted", elapsed: 1 },
      { type: "completed" },
    ]);
    expect(summary.isCompleted).toBe(true);
    expect(summary.unknownTypes).toEqual(["quantumHandshake"]);
    expect(summary.mtaSts).toEqual({ kind: "policy", policy: POLICY });
    expect(summary.hosts).toHaveLength(1);
    expect(summary.hosts[0]?.hostname).toBe("mx.example.com");
    expect(summary.hosts[0]?.attempts[0]?.steps.map((step) => step.step)).toEqual([
      "connection",
      "greeting",
      "ehlo",
      "startTls",
      "ehlo",
      "quit",
    ]);
  });
});
