import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatSseFrame, type LiveEvent, liveDeliveryTest } from "./live-test";
import { ProbeInputError } from "./probe-destination";
import { STORIES } from "./test-world/scenarios";
import { startTestWorld, type TestWorld } from "./test-world/world";

// Stalwart's live delivery test rebuilt on the collectors: one check per event type, the SSE
// frame compared byte for byte with the layout of the shared delivery reference §3 (elapsed
// times, which vary, are set to 0 first).

let world: TestWorld;
/** Every distinct frame seen, per event type. */
const frames = new Map<string, Set<string>>();
const sequences = new Map<string, string[]>();

const extra = [
  {
    name: "danepki.test",
    mx: [{ preference: 10, host: "mx.danepki.test" }],
    mxEntry: { ad: true },
    hosts: [
      {
        name: "mx.danepki.test",
        smtp: { kind: "starttls" as const },
        tlsa: { forms: ["3 1 1" as const] },
      },
    ],
  },
  {
    name: "danebad.test",
    mx: [{ preference: 10, host: "mx.danebad.test" }],
    mxEntry: { ad: true },
    hosts: [
      {
        name: "mx.danebad.test",
        smtp: { kind: "starttls" as const },
        tlsa: {
          forms: [],
          extra: [{ usage: 3, selector: 1, matchingType: 1, certificate: Buffer.alloc(32) }],
        },
      },
    ],
  },
  {
    name: "tabogus.test",
    mx: [{ preference: 10, host: "mx.tabogus.test" }],
    hosts: [{ name: "mx.tabogus.test", smtp: { kind: "refuse" as const }, tlsa: "bogus" as const }],
  },
  {
    name: "taonly.test",
    mx: [{ preference: 10, host: "mx.taonly.test" }],
    hosts: [
      {
        name: "mx.taonly.test",
        smtp: { kind: "refuse" as const },
        tlsa: { forms: ["2 0 1" as const] },
      },
    ],
  },
  { name: "noaddr.test", mx: [{ preference: 10, host: "mx.noaddr.test" }], hosts: [] },
  {
    name: "rptbad.test",
    mx: [{ preference: 10, host: "mx.rptbad.test" }],
    tlsRpt: ["v=TLSRPTv1; rua=ftp://x.test"],
    hosts: [{ name: "mx.rptbad.test", smtp: { kind: "refuse" as const } }],
  },
  {
    name: "stsbad.test",
    mx: [{ preference: 10, host: "mx.stsbad.test" }],
    sts: {
      txt: ["v=STSv1; id=9"],
      policy: { kind: "body" as const, status: 404, body: "<h1>Not Found</h1>" },
    },
    hosts: [{ name: "mx.stsbad.test", smtp: { kind: "refuse" as const } }],
  },
  {
    name: "mailfrom.test",
    mx: [{ preference: 10, host: "mx.mailfrom.test" }],
    hosts: [
      { name: "mx.mailfrom.test", smtp: { kind: "starttls" as const, rejectMailFrom: true } },
    ],
  },
];

const TARGETS = [
  "pki.test",
  "ok@pki.test",
  "nobody@pki.test",
  "x@mailfrom.test",
  "sts.test",
  "enforce.test",
  "dane.test",
  "danepki.test",
  "danebad.test",
  "tabogus.test",
  "taonly.test",
  "plain.test",
  "two-mx.test",
  "refused.test",
  "greeting554.test",
  "garbage.test",
  "nullmx.test",
  "missing.test",
  "noaddr.test",
  "rptbad.test",
  "stsbad.test",
];

beforeAll(async () => {
  world = await startTestWorld({ domains: [...STORIES.domains, ...extra] });
  const config = world.config();
  await Promise.all(
    TARGETS.map(async (target) => {
      const seen: string[] = [];
      for await (const event of liveDeliveryTest(target, config, { timeoutMs: 1_000 })) {
        const frame = formatSseFrame(event).replace(/"elapsed":\d+/g, '"elapsed":0');
        seen.push(event.type);
        frames.set(event.type, (frames.get(event.type) ?? new Set()).add(frame));
      }
      sequences.set(target, seen);
    }),
  );
}, 60_000);
afterAll(async () => {
  await world?.stop();
});

const ip = (host: string) => world.addresses[host]?.[0] ?? "";
const frame = (json: string) => `event: event\ndata: [${json}]\n\n`;

describe("one frame per event type, byte for byte", () => {
  const expected: Record<LiveEvent["type"], () => string | RegExp> = {
    mxLookupStart: () => frame('{"type":"mxLookupStart","domain":"pki.test"}'),
    mxLookupSuccess: () =>
      frame(
        '{"type":"mxLookupSuccess","mxs":[{"exchanges":["mx.pki.test."],"preference":10}],"elapsed":0}',
      ),
    mxLookupError: () => frame('{"type":"mxLookupError","reason":"Null MX record","elapsed":0}'),
    mtaStsFetchStart: () => frame('{"type":"mtaStsFetchStart"}'),
    mtaStsFetchSuccess: () =>
      frame(
        '{"type":"mtaStsFetchSuccess","policy":{"id":"1","mode":"enforce","mx":[{"startsWith":"sts.test"}],"max_age":86400},"elapsed":0}',
      ),
    mtaStsFetchError: () =>
      frame(
        `{"type":"mtaStsFetchError","reason":"Failed to parse policy: No 'mx' entries found.","elapsed":0}`,
      ),
    mtaStsNotFound: () => frame('{"type":"mtaStsNotFound","elapsed":0}'),
    tlsRptLookupStart: () => frame('{"type":"tlsRptLookupStart"}'),
    tlsRptLookupSuccess: () =>
      frame(
        '{"type":"tlsRptLookupSuccess","rua":[{"type":"mail","email":"tls@sts.test"}],"elapsed":0}',
      ),
    tlsRptLookupError: () =>
      frame('{"type":"tlsRptLookupError","reason":"Invalid record","elapsed":0}'),
    tlsRptNotFound: () => frame('{"type":"tlsRptNotFound","elapsed":0}'),
    deliveryAttemptStart: () => frame('{"type":"deliveryAttemptStart","hostname":"mx.pki.test"}'),
    mtaStsVerifySuccess: () => frame('{"type":"mtaStsVerifySuccess"}'),
    mtaStsVerifyError: () =>
      frame('{"type":"mtaStsVerifyError","reason":"Not authorized by policy"}'),
    tlsaLookupStart: () => frame('{"type":"tlsaLookupStart"}'),
    tlsaLookupSuccess: () =>
      /^event: event\ndata: \[\{"type":"tlsaLookupSuccess","record":\{"entries":\[\{"is_end_entity":true,"is_spki":true,"matching":"Sha256","data":\[(\d{1,3},){31}\d{1,3}\]\}\],"has_end_entities":true,"has_intermediates":false\},"elapsed":0\}\]\n\n$/,
    tlsaNotFound: () =>
      frame('{"type":"tlsaNotFound","elapsed":0,"reason":"No TLSA DNSSEC records found"}'),
    tlsaLookupError: () =>
      /^event: event\ndata: \[\{"type":"tlsaLookupError","elapsed":0,"reason":"(Bogus TLSA record|TLSA record does not have end entities)"\}\]\n\n$/,
    ipLookupStart: () => frame('{"type":"ipLookupStart"}'),
    ipLookupSuccess: () =>
      frame(`{"type":"ipLookupSuccess","remoteIps":["${ip("mx.pki.test")}"],"elapsed":0}`),
    ipLookupError: () =>
      frame(
        '{"type":"ipLookupError","reason":"DNS record not found: Non-Existent Domain","elapsed":0}',
      ),
    connectionStart: () => frame(`{"type":"connectionStart","remoteIp":"${ip("mx.pki.test")}"}`),
    connectionSuccess: () => frame('{"type":"connectionSuccess","elapsed":0}'),
    connectionError: () =>
      frame(
        '{"type":"connectionError","elapsed":0,"reason":"I/O error: Connection refused (os error 111)"}',
      ),
    readGreetingStart: () => frame('{"type":"readGreetingStart"}'),
    readGreetingSuccess: () => frame('{"type":"readGreetingSuccess","elapsed":0}'),
    readGreetingError: () =>
      frame(
        '{"type":"readGreetingError","elapsed":0,"reason":"Unexpected reply: Code: 554, Enhanced code: 5.7.1, Message: go away"}',
      ),
    ehloStart: () => frame('{"type":"ehloStart"}'),
    ehloSuccess: () => frame('{"type":"ehloSuccess","elapsed":0}'),
    ehloError: () => frame('{"type":"ehloError","elapsed":0,"reason":"Unparseable SMTP reply"}'),
    startTlsStart: () => frame('{"type":"startTlsStart"}'),
    startTlsSuccess: () => frame('{"type":"startTlsSuccess","elapsed":0}'),
    startTlsError: () =>
      /^event: event\ndata: \[\{"type":"startTlsError","elapsed":0,"reason":"(STARTTLS not advertised by host|TLS error: invalid peer certificate: UnknownIssuer|Code: 454, Enhanced code: 4\.7\.0, Message: TLS not available)"\}\]\n\n$/,
    daneVerifySuccess: () => frame('{"type":"daneVerifySuccess"}'),
    daneVerifyError: () =>
      frame('{"type":"daneVerifyError","reason":"No matching certificates found in TLSA records"}'),
    mailFromStart: () => frame('{"type":"mailFromStart"}'),
    mailFromSuccess: () => frame('{"type":"mailFromSuccess","elapsed":0}'),
    mailFromError: () =>
      frame(
        '{"type":"mailFromError","reason":"Unexpected reply: Code: 550, Enhanced code: 5.7.1, Message: Not from you","elapsed":0}',
      ),
    rcptToStart: () => frame('{"type":"rcptToStart"}'),
    rcptToSuccess: () => frame('{"type":"rcptToSuccess","elapsed":0}'),
    rcptToError: () =>
      frame(
        '{"type":"rcptToError","reason":"Unexpected reply: Code: 550, Enhanced code: 5.1.1, Message: No such user","elapsed":0}',
      ),
    quitStart: () => frame('{"type":"quitStart"}'),
    quitCompleted: () => frame('{"type":"quitCompleted","elapsed":0}'),
    completed: () => frame('{"type":"completed"}'),
  };
  test.each(Object.keys(expected) as LiveEvent["type"][])("%s", (type) => {
    const want = expected[type]();
    const got = [...(frames.get(type) ?? [])];
    if (want instanceof RegExp) expect(got.filter((f) => want.test(f))).not.toEqual([]);
    else expect(got).toContain(want);
  });
});

describe("how the test walks, as diagnose.rs does", () => {
  test("a bare domain: STARTTLS with PKI, EHLO again, QUIT, then completed", () => {
    expect(sequences.get("pki.test")).toEqual([
      "mxLookupStart",
      "mxLookupSuccess",
      "mtaStsFetchStart",
      "mtaStsNotFound",
      "tlsRptLookupStart",
      "tlsRptNotFound",
      "deliveryAttemptStart",
      "tlsaLookupStart",
      "tlsaNotFound",
      "ipLookupStart",
      "ipLookupSuccess",
      "connectionStart",
      "connectionSuccess",
      "readGreetingStart",
      "readGreetingSuccess",
      "ehloStart",
      "ehloSuccess",
      "startTlsStart",
      "startTlsSuccess",
      "ehloStart",
      "ehloSuccess",
      "quitStart",
      "quitCompleted",
      "completed",
    ]);
  });
  test("an address adds MAIL FROM and RCPT TO", () => {
    expect(sequences.get("ok@pki.test")).toContain("rcptToSuccess");
    expect(sequences.get("pki.test")).not.toContain("mailFromStart");
  });
  test("a self-signed DANE host fails STARTTLS under PKI and DANE is never checked", () => {
    const seen = sequences.get("dane.test") ?? [];
    expect(seen).toContain("tlsaLookupSuccess");
    expect(seen).toContain("startTlsError");
    expect(seen).not.toContain("daneVerifySuccess");
  });
  test("it moves on after a failed host and stops at the first that succeeds", () => {
    const seen = sequences.get("two-mx.test") ?? [];
    expect(seen.filter((t) => t === "deliveryAttemptStart")).toHaveLength(2);
    expect(seen.at(-2)).toBe("quitCompleted");
  });
  test("an IP literal is refused before any event", async () => {
    const run = liveDeliveryTest("192.0.2.1", world.config());
    await expect(run.next()).rejects.toBeInstanceOf(ProbeInputError);
  });
});
