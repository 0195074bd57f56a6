import type * as packet from "dns-packet";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startDnsServer, type TestDnsServer, zoneOf } from "../test-world/dns-server";
import { createDnsClient, DnsQueryError } from "./dns-client";
import {
  checkResolver,
  lookupAddresses,
  lookupClassified,
  lookupMx,
  lookupTlsa,
} from "./dns-lookup";

// The DNS stub client and its DNSSEC classification, against a real DNS server on loopback.

const a = (name: string, data: string) => ({ type: "A", name, ttl: 60, data }) as packet.Answer;
const mxRecord = (name: string, preference: number, exchange: string) =>
  ({ type: "MX", name, ttl: 60, data: { preference, exchange } }) as packet.Answer;
const tlsa = (name: string) =>
  ({
    type: "TLSA",
    name,
    ttl: 60,
    data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.from("abcd", "hex") },
  }) as packet.Answer;

/** A pointer at offset 12 that points to itself: a compression loop. */
function pointerLoop(): Buffer {
  const header = Buffer.from([0, 0, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
}

let server: TestDnsServer;
let udpOnly: TestDnsServer;

beforeAll(async () => {
  server = await startDnsServer(
    zoneOf([
      [".", "DNSKEY", { ad: true, answers: [] }],
      ["signed.test", "A", { ad: true, answers: [a("signed.test", "192.0.2.1")] }],
      ["unsigned.test", "A", { answers: [a("unsigned.test", "192.0.2.2")] }],
      [
        "unsigned.test",
        "MX",
        {
          answers: [
            mxRecord("unsigned.test", 20, "b.unsigned.test"),
            mxRecord("unsigned.test", 10, "A.Unsigned.test"),
            mxRecord("unsigned.test", 20, "c.unsigned.test"),
          ],
        },
      ],
      ["fail.test", "A", { rcode: "SERVFAIL" }],
      ["bogus.test", "MX", { bogus: true, answers: [mxRecord("bogus.test", 10, "mx.bogus.test")] }],
      ["ede.test", "A", { rcode: "SERVFAIL", ede: { code: 7, text: "Signature Expired" } }],
      ["big.test", "A", { tc: true, answers: [a("big.test", "192.0.2.3")] }],
      ["tc-always.test", "A", { tc: "always", answers: [] }],
      ["loop.test", "A", { raw: pointerLoop() }],
      ["short.test", "A", { raw: Buffer.from([0, 0, 0x81]) }],
      ["silent.test", "A", { silent: true }],
      ["slow.test", "A", { delayMs: 2_000, answers: [a("slow.test", "192.0.2.4")] }],
      ["nodata.test", "TXT", { answers: [] }],
      ["_25._tcp.mx.test", "TLSA", { ad: true, answers: [tlsa("_25._tcp.mx.test")] }],
      [
        "v6only.test",
        "AAAA",
        { answers: [{ type: "AAAA", name: "v6only.test", ttl: 60, data: "2001:db8::1" }] },
      ],
      ["null.test", "MX", { answers: [mxRecord("null.test", 0, ".")] }],
      [
        "_mta-sts.huge.test",
        "TXT",
        {
          tc: true,
          answers: [
            {
              type: "TXT",
              name: "_mta-sts.huge.test",
              ttl: 60,
              data: Array.from({ length: 240 }, () => Buffer.alloc(255, "a")),
            } as packet.Answer,
          ],
        },
      ],
    ]),
  );
  udpOnly = await startDnsServer(zoneOf([[".", "DNSKEY", { ad: true, answers: [] }]]), {
    udpOnly: true,
  });
});
afterAll(async () => {
  await server?.stop();
  await udpOnly?.stop();
});

const client = () => createDnsClient([{ host: server.host, port: server.port }], 400, 1);

describe("answers and the AD bit", () => {
  test("AD=1 is secure, AD=0 insecure", async () => {
    expect(await lookupClassified(client(), "signed.test", "A")).toMatchObject({
      outcome: "records",
      ad: true,
    });
    expect(await lookupClassified(client(), "unsigned.test", "A")).toMatchObject({
      outcome: "records",
      ad: false,
    });
  });
  test("NXDOMAIN and NODATA, with hickory's rcode spelling", async () => {
    expect(await lookupClassified(client(), "missing.test", "A")).toMatchObject({
      outcome: "nxdomain",
      rcode: "NXDomain",
    });
    expect(await lookupClassified(client(), "nodata.test", "A")).toMatchObject({
      outcome: "nodata",
      rcode: "NoError",
    });
  });
  test("SERVFAIL without a bogus witness is an error", async () => {
    expect(await lookupClassified(client(), "fail.test", "A")).toMatchObject({
      outcome: "error",
      error: expect.stringContaining("SERVFAIL"),
    });
  });
  test("SERVFAIL + EDE 6, and the data with CD=1: bogus", async () => {
    const found = await lookupClassified(client(), "bogus.test", "MX");
    expect(found).toMatchObject({ outcome: "bogus", ede: [{ code: 6, text: "DNSSEC Bogus" }] });
    expect(found.answers).toHaveLength(1);
  });
  test("EDE 7 (Signature Expired) alone marks bogus", async () => {
    expect(await lookupClassified(client(), "ede.test", "A")).toMatchObject({
      outcome: "bogus",
      ede: [{ code: 7 }],
    });
  });
  test("TC over UDP retries over TCP", async () => {
    const before = server.counts.tcp;
    const found = await lookupClassified(client(), "big.test", "A");
    expect(found).toMatchObject({ outcome: "records" });
    expect(server.counts.tcp).toBe(before + 1);
  });
});

describe("hostile answers end in a clear error, never a hang", () => {
  test("TC over TCP too is an error, not a loop", async () => {
    await expect(client().query("tc-always.test", "A")).rejects.toMatchObject({
      kind: "truncated",
    });
  });
  test("a 61 KB TXT answer is read whole over TCP, within the 64 KB bound", async () => {
    const answer = await client().query("_mta-sts.huge.test", "TXT");
    const strings = answer.answers?.flatMap((record) =>
      record.type === "TXT" ? (record.data as Buffer[]) : [],
    );
    expect(strings).toHaveLength(240);
    expect(strings?.every((text) => text.length === 255)).toBe(true);
  });
  test("a compression-pointer loop is malformed", async () => {
    await expect(client().query("loop.test", "A", { transport: "udp" })).rejects.toMatchObject({
      kind: "malformed",
    });
  });
  test("a truncated packet is malformed", async () => {
    await expect(client().query("short.test", "A", { transport: "tcp" })).rejects.toBeInstanceOf(
      DnsQueryError,
    );
  });
  test("silence times out within the per-query timeout", async () => {
    const started = performance.now();
    const found = await lookupClassified(client(), "silent.test", "A");
    expect(found).toMatchObject({
      outcome: "error",
      error: expect.stringMatching(/timed out after 400 ms/),
    });
    expect(performance.now() - started).toBeLessThan(1_500);
  });
  test("an answer slower than the timeout is a timeout", async () => {
    await expect(client().query("slow.test", "A", { transport: "udp" })).rejects.toMatchObject({
      kind: "timeout",
    });
  });
  test("the signal aborts a query at once", async () => {
    const controller = new AbortController();
    const query = client().query("silent.test", "A", { signal: controller.signal });
    controller.abort();
    await expect(query).rejects.toMatchObject({ kind: "aborted" });
  });
  test("a server that is not there: network error or timeout, bounded", async () => {
    const nobody = createDnsClient([{ host: "127.0.0.1", port: 9 }], 300, 2);
    await expect(nobody.query("x.test", "A")).rejects.toBeInstanceOf(DnsQueryError);
  });
});

describe("the lookups delivery makes", () => {
  test("MX: preference order, equal preferences through the shuffle, lower case, cut", async () => {
    const reverse = <T>(items: T[]) => [...items].reverse();
    const mx = await lookupMx(client(), "unsigned.test", { shuffle: reverse, maxMxHosts: 2 });
    expect(mx).toMatchObject({
      outcome: "records",
      dnssec: "insecure",
      isImplicit: false,
      hosts: ["a.unsigned.test", "c.unsigned.test"],
      cutHosts: ["b.unsigned.test"],
    });
  });
  test("MX NXDOMAIN: implicit MX", async () => {
    const mx = await lookupMx(client(), "missing.test", { shuffle: (x) => x, maxMxHosts: 2 });
    expect(mx).toMatchObject({ outcome: "nxdomain", isImplicit: true, hosts: ["missing.test"] });
  });
  test("null MX", async () => {
    expect(
      await lookupMx(client(), "null.test", { shuffle: (x) => x, maxMxHosts: 2 }),
    ).toMatchObject({ isNullMx: true, hosts: [] });
  });
  test("bogus MX keeps the CD data as hosts", async () => {
    expect(
      await lookupMx(client(), "bogus.test", { shuffle: (x) => x, maxMxHosts: 2 }),
    ).toMatchObject({ outcome: "bogus", dnssec: "bogus", hosts: ["mx.bogus.test"] });
  });
  test("addresses: v4 then v6 falls back to AAAA when A fails", async () => {
    const ips = await lookupAddresses(client(), "v6only.test", {
      ipLookupStrategy: "ipv4ThenIpv6",
      maxMultihomed: 2,
    });
    expect(ips).toMatchObject({ outcome: "addresses", addresses: ["2001:db8::1"] });
    const v4 = await lookupAddresses(client(), "v6only.test", {
      ipLookupStrategy: "ipv4Only",
      maxMultihomed: 2,
    });
    expect(v4).toMatchObject({ outcome: "nodata" });
  });
  test("TLSA: secure records and the usable filter", async () => {
    expect(await lookupTlsa(client(), "mx.test")).toMatchObject({
      outcome: "records",
      secure: true,
      usable: [{ usage: 3, selector: 1, matchingType: 1, data: "abcd" }],
    });
  });
  test("resolver check: TCP and AD → validates; UDP only → does not", async () => {
    expect(await checkResolver(client())).toMatchObject({
      validates: true,
      answersOverTcp: true,
      rootDnskeyAd: true,
    });
    const udp = createDnsClient([{ host: udpOnly.host, port: udpOnly.port }], 400, 1);
    expect(await checkResolver(udp)).toMatchObject({
      validates: false,
      answersOverTcp: false,
      rootDnskeyAd: true,
    });
  });
});
