import { expect, test } from "vitest";
import { TLS_STRATEGY_DEFAULTS } from "../../../jmap/protocol";
import type { AddressFacts, DeliveryFacts, ReplyStep } from "../../../stalwart/delivery/facts";
import type { DeliveryStrategy } from "../../../stalwart/delivery/outcome";
import { TEST_SOURCE } from "../../../stalwart/delivery/test-source";
import { DELIVERY_REGRESSION, deliveryRegression } from "./delivery-regression";

// A draft that bounces or downgrades mail the saved strategy delivers is flagged; one that
// does not, or a form without a saved strategy or without facts, is not.

const reply = (code: number, lines = ["ok"]): ReplyStep => ({
  outcome: "reply",
  code,
  lines,
  elapsedMs: 1,
  timeoutMs: 10_000,
});

const good: AddressFacts = {
  address: "192.0.2.1",
  connect: { ok: true, elapsedMs: 3, timeoutMs: 10_000, timedOut: false },
  greeting: reply(220),
  ehlo: { ...reply(250), capabilities: ["STARTTLS"], command: "EHLO probe.test" },
  startTls: reply(220),
  tls: {
    outcome: "ok",
    elapsedMs: 20,
    timeoutMs: 10_000,
    protocol: "TLSv1.3",
    chain: [],
    pki: { ok: true },
  },
  done: true,
};

const facts: DeliveryFacts = {
  target: { input: "example.com", domain: "example.com" },
  collectedAt: "2026-01-01T00:00:00.000Z",
  source: TEST_SOURCE,
  resolver: { validates: true, answersOverTcp: true, rootDnskeyAd: true, detail: "" },
  mtaSts: {
    txt: { outcome: "nxdomain", records: [], rcode: "NXDomain", elapsedMs: 1 },
    record: null,
    fetch: null,
    policy: null,
    failure: { temporary: false, text: "Record not found: NXDomain" },
  },
  mx: {
    outcome: "records",
    dnssec: "insecure",
    records: [{ preference: 10, exchange: "mx1.example.com" }],
    ede: [],
    elapsedMs: 2,
    isNullMx: false,
    isImplicit: false,
    hosts: ["mx1.example.com"],
    cutHosts: [],
  },
  hosts: [
    {
      name: "mx1.example.com",
      ips: { outcome: "addresses", addresses: ["192.0.2.1"], cut: [], elapsedMs: 1 },
      tlsa: { outcome: "nxdomain", secure: false, records: [], usable: [], ede: [], elapsedMs: 1 },
      addresses: [good],
    },
  ],
  status: "complete",
};

const saved: DeliveryStrategy = { ...TLS_STRATEGY_DEFAULTS, name: "default" };

test("requiring MTA-STS for a domain without a policy bounces what was delivered", () => {
  const finding = deliveryRegression(saved, { ...saved, mtaSts: "require" }, facts);
  expect(finding).toMatchObject({
    id: DELIVERY_REGRESSION,
    severity: "warning",
    fields: ["mtaSts"],
  });
  expect(finding?.message).toMatch(
    /“Delivered over verified TLS by PKI” with the saved strategy, but “Bounced \(permanent failure\)”/,
  );
  expect(finding?.message).toMatch(/MtaStsError: Record not found: NXDomain/);
});

test("disabling STARTTLS turns verified TLS into plaintext", () => {
  const finding = deliveryRegression(saved, { ...saved, startTls: "disable" }, facts);
  expect(finding?.fields).toEqual(["startTls"]);
  expect(finding?.message).toMatch(/but “Delivered in plaintext”/);
});

test("no finding when the outcome holds, without a saved strategy, or without facts", () => {
  expect(deliveryRegression(saved, { ...saved, allowInvalidCerts: true }, facts)).toBeNull();
  expect(deliveryRegression(null, { ...saved, mtaSts: "require" }, facts)).toBeNull();
  expect(deliveryRegression(saved, { ...saved, mtaSts: "require" }, null)).toBeNull();
});
