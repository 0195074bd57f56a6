import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import type { DeliveryFacts } from "../../stalwart/delivery/facts";
import { FactsView } from "./facts-view";

// Results say where they were collected (README, "Testing a destination"): with STALWART_URL
// the page's server is not the mail server, and the page says so.

const facts = (collectedBy?: "embedded" | "proxy"): DeliveryFacts => ({
  target: { input: "example.com", domain: "example.com" },
  collectedAt: "2026-12-06T10:00:00.000Z",
  source: {
    resolvers: ["192.0.2.53:53"],
    smtpPort: 25,
    mtaStsPort: 443,
    privateAddressesAllowed: false,
    ...(collectedBy ? { collectedBy } : {}),
    maxMxHosts: 5,
    maxMultihomed: 2,
    ipLookupStrategy: "ipv4ThenIpv6",
    limits: {
      dnsMs: 5000,
      connectMs: 10000,
      greetingMs: 10000,
      ehloMs: 10000,
      startTlsMs: 10000,
      tlsMs: 10000,
      mtaStsMs: 10000,
      deadlineMs: 30000,
    },
  },
  hosts: [],
  status: "complete",
  elapsedMs: 12,
});

test("facts collected in front of a real Stalwart say they are not the mail server's", () => {
  expect(renderToStaticMarkup(<FactsView facts={facts("proxy")} />)).toContain(
    "Not from the mail server",
  );
});

test("facts collected by the embedded server make no such claim", () => {
  const text = renderToStaticMarkup(<FactsView facts={facts("embedded")} />);
  expect(text).not.toContain("Not from the mail server");
  expect(text).toContain("192.0.2.53:53");
});
