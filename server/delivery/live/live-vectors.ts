import type { DomainSpec } from "../test-world/world";
import type { LiveEvent } from "./live-test";

// The vectors of the live delivery test (shared delivery reference §3.2), shared by the
// generator's test and the HTTP endpoint's: domains beyond the story world, targets that
// between them raise every event type, and each event type's frame byte for byte (elapsed
// times, which vary, set to 0 first with `zeroElapsed`).

/** Domains beyond the story world. */
export const LIVE_EXTRA_DOMAINS: DomainSpec[] = [
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

/** Targets that between them raise every event type. */
export const LIVE_TARGETS = [
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

/** A frame with its elapsed times set to 0, to compare byte for byte. */
export const zeroElapsed = (frame: string) => frame.replace(/"elapsed":\d+/g, '"elapsed":0');

const frame = (json: string) => `event: event\ndata: [${json}]\n\n`;

/**
 * Each event type's expected frame (or a pattern where the world varies it); `ip(host)` is the
 * world's first address of `host`.
 */
export function expectedFrames(
  ip: (host: string) => string,
): Record<LiveEvent["type"], string | RegExp> {
  return {
    mxLookupStart: frame('{"type":"mxLookupStart","domain":"pki.test"}'),
    mxLookupSuccess: frame(
      '{"type":"mxLookupSuccess","mxs":[{"exchanges":["mx.pki.test."],"preference":10}],"elapsed":0}',
    ),
    mxLookupError: frame('{"type":"mxLookupError","reason":"Null MX record","elapsed":0}'),
    mtaStsFetchStart: frame('{"type":"mtaStsFetchStart"}'),
    mtaStsFetchSuccess: frame(
      '{"type":"mtaStsFetchSuccess","policy":{"id":"1","mode":"enforce","mx":[{"startsWith":"sts.test"}],"max_age":86400},"elapsed":0}',
    ),
    mtaStsFetchError: frame(
      `{"type":"mtaStsFetchError","reason":"Failed to parse policy: No 'mx' entries found.","elapsed":0}`,
    ),
    mtaStsNotFound: frame('{"type":"mtaStsNotFound","elapsed":0}'),
    tlsRptLookupStart: frame('{"type":"tlsRptLookupStart"}'),
    tlsRptLookupSuccess: frame(
      '{"type":"tlsRptLookupSuccess","rua":[{"type":"mail","email":"tls@sts.test"}],"elapsed":0}',
    ),
    tlsRptLookupError: frame('{"type":"tlsRptLookupError","reason":"Invalid record","elapsed":0}'),
    tlsRptNotFound: frame('{"type":"tlsRptNotFound","elapsed":0}'),
    deliveryAttemptStart: frame('{"type":"deliveryAttemptStart","hostname":"mx.pki.test"}'),
    mtaStsVerifySuccess: frame('{"type":"mtaStsVerifySuccess"}'),
    mtaStsVerifyError: frame('{"type":"mtaStsVerifyError","reason":"Not authorized by policy"}'),
    tlsaLookupStart: frame('{"type":"tlsaLookupStart"}'),
    tlsaLookupSuccess:
      /^event: event\ndata: \[\{"type":"tlsaLookupSuccess","record":\{"entries":\[\{"is_end_entity":true,"is_spki":true,"matching":"Sha256","data":\[(\d{1,3},){31}\d{1,3}\]\}\],"has_end_entities":true,"has_intermediates":false\},"elapsed":0\}\]\n\n$/,
    tlsaNotFound: frame(
      '{"type":"tlsaNotFound","elapsed":0,"reason":"No TLSA DNSSEC records found"}',
    ),
    tlsaLookupError:
      /^event: event\ndata: \[\{"type":"tlsaLookupError","elapsed":0,"reason":"(Bogus TLSA record|TLSA record does not have end entities)"\}\]\n\n$/,
    ipLookupStart: frame('{"type":"ipLookupStart"}'),
    ipLookupSuccess: frame(
      `{"type":"ipLookupSuccess","remoteIps":["${ip("mx.pki.test")}"],"elapsed":0}`,
    ),
    ipLookupError: frame(
      '{"type":"ipLookupError","reason":"DNS record not found: Non-Existent Domain","elapsed":0}',
    ),
    connectionStart: frame(`{"type":"connectionStart","remoteIp":"${ip("mx.pki.test")}"}`),
    connectionSuccess: frame('{"type":"connectionSuccess","elapsed":0}'),
    connectionError: frame(
      '{"type":"connectionError","elapsed":0,"reason":"I/O error: Connection refused (os error 111)"}',
    ),
    readGreetingStart: frame('{"type":"readGreetingStart"}'),
    readGreetingSuccess: frame('{"type":"readGreetingSuccess","elapsed":0}'),
    readGreetingError: frame(
      '{"type":"readGreetingError","elapsed":0,"reason":"Unexpected reply: Code: 554, Enhanced code: 5.7.1, Message: go away"}',
    ),
    ehloStart: frame('{"type":"ehloStart"}'),
    ehloSuccess: frame('{"type":"ehloSuccess","elapsed":0}'),
    ehloError: frame('{"type":"ehloError","elapsed":0,"reason":"Unparseable SMTP reply"}'),
    startTlsStart: frame('{"type":"startTlsStart"}'),
    startTlsSuccess: frame('{"type":"startTlsSuccess","elapsed":0}'),
    startTlsError:
      /^event: event\ndata: \[\{"type":"startTlsError","elapsed":0,"reason":"(STARTTLS not advertised by host|TLS error: invalid peer certificate: UnknownIssuer|Code: 454, Enhanced code: 4\.7\.0, Message: TLS not available)"\}\]\n\n$/,
    daneVerifySuccess: frame('{"type":"daneVerifySuccess"}'),
    daneVerifyError: frame(
      '{"type":"daneVerifyError","reason":"No matching certificates found in TLSA records"}',
    ),
    mailFromStart: frame('{"type":"mailFromStart"}'),
    mailFromSuccess: frame('{"type":"mailFromSuccess","elapsed":0}'),
    mailFromError: frame(
      '{"type":"mailFromError","reason":"Unexpected reply: Code: 550, Enhanced code: 5.7.1, Message: Not from you","elapsed":0}',
    ),
    rcptToStart: frame('{"type":"rcptToStart"}'),
    rcptToSuccess: frame('{"type":"rcptToSuccess","elapsed":0}'),
    rcptToError: frame(
      '{"type":"rcptToError","reason":"Unexpected reply: Code: 550, Enhanced code: 5.1.1, Message: No such user","elapsed":0}',
    ),
    quitStart: frame('{"type":"quitStart"}'),
    quitCompleted: frame('{"type":"quitCompleted","elapsed":0}'),
    completed: frame('{"type":"completed"}'),
  };
}
