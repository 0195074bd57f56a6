import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDnsClient } from "../dns/dns-client";
import type { PolicyBehaviour } from "../test-world/servers";
import { startTestWorld, type TestWorld } from "../test-world/world";
import { collectMtaSts } from "./mta-sts";
import { parseStsPolicy, parseStsRecord, utf8Error } from "./mta-sts-parse";

// MTA-STS as Stalwart reads it: the parsers by example, then the fetch against real HTTPS
// policy hosts on loopback, one domain per case of table A.

describe("parsing the TXT record (mail-auth rules)", () => {
  test.each([
    ["v=STSv1; id=20260101", "20260101"],
    ["V=stsv1 ; ID = abc ;", "abc"],
    ["v=STSv1;id=x;ext=1", "x"],
    ["v=STSv1", null],
    ["id=1; v=STSv1", null],
    ["v=spf1 -all", null],
  ])("%j → %j", (text, id) => expect(parseStsRecord(text)).toBe(id));
});

describe("parsing the policy (§1.2 step 2.5)", () => {
  test("LF and CRLF, wildcard and exact patterns as lower-case A-labels", () => {
    const body =
      "version: STSv1\r\nmode: enforce\r\nmx: MX1.Example.com\r\nmx: *.bücher.example\r\nmax_age: 604800\r\n";
    expect(parseStsPolicy(body, "id1")).toEqual({
      id: "id1",
      mode: "enforce",
      maxAge: 604800,
      mx: [
        { type: "equals", value: "mx1.example.com" },
        { type: "startsWith", value: "xn--bcher-kva.example" },
      ],
    });
  });
  test.each([
    ["mode: strict\nmx: a\n", 'Unsupported mode "strict".'],
    ["mode: Enforce\nmx: a\n", 'Unsupported mode "Enforce".'],
    ["version: STSv2\nmx: a\n", 'Unsupported version "STSv2".'],
    ["version: STSv1\nmode: none\n", "No 'mx' entries found."],
    ["<html>\n<body>Not Found</body>\n", "No 'mx' entries found."],
    ["mode: enforce\nno colon here\nmx: a\n", "No 'mx' entries found."],
  ])("%j → %s", (body, error) => expect(parseStsPolicy(body, "1")).toEqual({ error }));
  test("max_age defaults to 86400, version may be any case, mode defaults to none", () => {
    expect(parseStsPolicy("version: stsv1\nmax_age: soon\nmx: a.example\n", "1")).toMatchObject({
      mode: "none",
      maxAge: 86400,
    });
  });
  test("UTF-8 errors in Rust's words", () => {
    expect(utf8Error(Buffer.from("mx: ok"))).toBeNull();
    expect(utf8Error(Buffer.from([0x61, 0xff, 0x62]))).toBe(
      "invalid utf-8 sequence of 1 bytes from index 1",
    );
    expect(utf8Error(Buffer.from([0x61, 0xe2, 0x82]))).toBe(
      "incomplete utf-8 byte sequence from index 1",
    );
    expect(utf8Error(Buffer.from([0xe2, 0x28, 0xa1]))).toBe(
      "invalid utf-8 sequence of 1 bytes from index 0",
    );
  });
});

const GOOD = "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";
const cases: Record<
  string,
  { txt?: string[]; policy?: PolicyBehaviour; cert?: "untrusted" | "wrong-name" }
> = {
  enforce: { policy: { kind: "policy", mode: "enforce", mx: ["mx.enforce.sts"] } },
  testing: { policy: { kind: "policy", mode: "testing", mx: ["*.testing.sts"] } },
  none: { policy: { kind: "policy", mode: "none", mx: ["mx.none.sts"] } },
  crlf: { policy: { kind: "policy", mode: "enforce", mx: ["mx.crlf.sts"], crlf: true } },
  nomx: { policy: { kind: "body", status: 200, body: "version: STSv1\nmode: enforce\n" } },
  badmode: { policy: { kind: "body", status: 200, body: "version: STSv1\nmode: strict\nmx: a\n" } },
  notfound: { policy: { kind: "body", status: 404, body: "<html><body>Not Found</body></html>" } },
  moved: {
    policy: {
      kind: "body",
      status: 301,
      body: GOOD,
      headers: { location: "https://elsewhere.test/" },
    },
  },
  huge: { policy: { kind: "huge", withLength: true } },
  hugechunked: { policy: { kind: "huge", withLength: false } },
  slow: { policy: { kind: "slow" } },
  latin1: {
    policy: {
      kind: "body",
      status: 200,
      body: Buffer.from("mode: testing\nmx: caf\xe9.test\n", "latin1"),
    },
  },
  untrusted: { policy: { kind: "policy", mode: "enforce", mx: ["a"] }, cert: "untrusted" },
  wrongname: { policy: { kind: "policy", mode: "enforce", mx: ["a"] }, cert: "wrong-name" },
  unparseable: { txt: ["v=spf1 -all", "hello"] },
  first: {
    txt: ["v=spf1 -all", "v=STSv1; id=first", "v=STSv1; id=second"],
    policy: { kind: "policy", mode: "testing", mx: ["a"] },
  },
};

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld({
    domains: [
      ...Object.entries(cases).map(([name, c]) => ({
        name: `${name}.sts`,
        sts: {
          txt: c.txt ?? ["v=STSv1; id=1"],
          ...(c.policy ? { policy: c.policy } : {}),
          ...(c.cert ? { cert: c.cert } : {}),
        },
        hosts: [],
      })),
      { name: "servfail.sts", sts: { txt: { rcode: "SERVFAIL" as const } }, hosts: [] },
      { name: "noaddress.sts", sts: { txt: ["v=STSv1; id=1"] }, hosts: [] },
    ],
  });
}, 30_000);
afterAll(async () => {
  await world?.stop();
});

async function collect(domain: string, mtaStsMs = 1_500) {
  const config = world.config({ mtaStsMs });
  const client = createDnsClient(config.dnsServers, 500, 1);
  return collectMtaSts(domain, { client, config, ca: [world.caPem] });
}

describe("fetching the policy (table A)", () => {
  test.each([
    [
      "enforce.sts",
      {
        policy: { mode: "enforce", mx: [{ type: "equals", value: "mx.enforce.sts" }] },
        failure: null,
      },
    ],
    [
      "testing.sts",
      { policy: { mode: "testing", mx: [{ type: "startsWith", value: "testing.sts" }] } },
    ],
    ["none.sts", { policy: { mode: "none" } }],
    ["crlf.sts", { policy: { mode: "enforce", mx: [{ type: "equals", value: "mx.crlf.sts" }] } }],
    [
      "nomx.sts",
      {
        policy: null,
        failure: { temporary: false, text: "Failed to parse policy: No 'mx' entries found." },
      },
    ],
    [
      "badmode.sts",
      { failure: { temporary: false, text: 'Failed to parse policy: Unsupported mode "strict".' } },
    ],
    [
      "notfound.sts",
      {
        fetch: { httpStatus: 404 },
        failure: { temporary: false, text: "Failed to parse policy: No 'mx' entries found." },
      },
    ],
    ["moved.sts", { fetch: { httpStatus: 301 }, policy: { mode: "enforce" }, failure: null }],
    [
      "huge.sts",
      {
        fetch: { outcome: "too-large" },
        failure: { temporary: false, text: "Failed to parse policy: Policy too large" },
      },
    ],
    [
      "hugechunked.sts",
      {
        fetch: { outcome: "too-large" },
        failure: { temporary: false, text: "Failed to parse policy: Policy too large" },
      },
    ],
    [
      "latin1.sts",
      {
        fetch: { outcome: "not-utf8" },
        failure: {
          temporary: false,
          text: "Failed to parse policy: invalid utf-8 sequence of 1 bytes from index 21",
        },
      },
    ],
    [
      "untrusted.sts",
      {
        fetch: { outcome: "unreachable" },
        failure: { temporary: true, text: "Could not reach policy host." },
      },
    ],
    [
      "wrongname.sts",
      {
        fetch: { outcome: "unreachable" },
        failure: { temporary: true, text: "Could not reach policy host." },
      },
    ],
    [
      "unparseable.sts",
      {
        record: null,
        fetch: null,
        failure: { temporary: false, text: "Failed to parse MTA-STS DNS record." },
      },
    ],
    ["first.sts", { record: { id: "first" }, policy: { id: "first" } }],
    [
      "missing.sts",
      {
        txt: { outcome: "nxdomain" },
        failure: { temporary: false, text: "Record not found: NXDomain" },
      },
    ],
    [
      "servfail.sts",
      {
        txt: { outcome: "error" },
        failure: {
          temporary: true,
          text: expect.stringMatching(/^DNS lookup error: DNS resolution error: SERVFAIL/),
        },
      },
    ],
    [
      "noaddress.sts",
      {
        fetch: { outcome: "unreachable", address: null },
        failure: { temporary: true, text: "Could not reach policy host." },
      },
    ],
  ])("%s", async (domain, expected) => {
    expect(await collect(domain)).toMatchObject(expected);
  });

  test("a slow body is cut by the timer: Timeout fetching policy.", async () => {
    const started = performance.now();
    const sts = await collect("slow.sts", 600);
    expect(sts).toMatchObject({
      fetch: { outcome: "timeout", httpStatus: 200 },
      failure: { temporary: true, text: "Timeout fetching policy." },
    });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  test("the policy host's private address is refused and named unless allowed", async () => {
    const config = world.config({}, { privateAddressesAllowed: false });
    const client = createDnsClient(config.dnsServers, 500, 1);
    const sts = await collectMtaSts("enforce.sts", { client, config, ca: [world.caPem] });
    expect(sts.fetch).toMatchObject({
      outcome: "refused",
      detail: expect.stringContaining("loopback"),
    });
  });
});
