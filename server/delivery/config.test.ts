import { expect, test } from "vitest";
import { DEFAULT_TIMEOUTS, parseDnsServer, readProbeConfig } from "./config";

// The probe's configuration is a pure function of an environment record.

test("defaults: system resolvers, ports 25 and 443, private addresses refused", () => {
  const config = readProbeConfig({}, {}, () => ["192.0.2.53", "2001:db8::53"]);
  expect(config).toMatchObject({
    dnsServers: [
      { host: "192.0.2.53", port: 53 },
      { host: "2001:db8::53", port: 53 },
    ],
    smtpPort: 25,
    mtaStsPort: 443,
    extraCaFile: null,
    privateAddressesAllowed: false,
    maxMxHosts: 2,
    maxMultihomed: 2,
    ipLookupStrategy: "ipv4ThenIpv6",
    maxPerUser: 2,
    maxTotal: 4,
    timeouts: DEFAULT_TIMEOUTS,
  });
});

test("every variable, and overrides for the knobs no variable names", () => {
  const config = readProbeConfig(
    {
      DNS_SERVERS: "127.0.0.1:5353, [::1]:53",
      SMTP_PORT: "2525",
      MTA_STS_PORT: "8443",
      NODE_EXTRA_CA_CERTS: "/tmp/ca.pem",
      PROBE_PRIVATE_ADDRESSES: "1",
    },
    { maxMxHosts: 5, timeouts: { tlsMs: 500 } },
  );
  expect(config).toMatchObject({
    dnsServers: [
      { host: "127.0.0.1", port: 5353 },
      { host: "::1", port: 53 },
    ],
    smtpPort: 2525,
    mtaStsPort: 8443,
    extraCaFile: "/tmp/ca.pem",
    privateAddressesAllowed: true,
    maxMxHosts: 5,
    timeouts: { ...DEFAULT_TIMEOUTS, tlsMs: 500 },
  });
});

test("malformed values are named", () => {
  expect(() => readProbeConfig({ SMTP_PORT: "smtp" })).toThrow(
    'SMTP_PORT must be a port number from 1 to 65535 (it is "smtp").',
  );
  expect(() => parseDnsServer("dns.example")).toThrow(
    /DNS_SERVERS: "dns.example" is not an address/,
  );
  expect(() => parseDnsServer("127.0.0.1:99999")).toThrow(/DNS_SERVERS/);
});
