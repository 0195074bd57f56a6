import type { Source } from "./facts";

/**
 * Where facts built by hand in unit tests say they came from: one resolver on loopback, the
 * standard ports, the fresh-install route limits and 1 ms step limits. Tests only.
 */
export const TEST_SOURCE: Source = {
  resolvers: ["127.0.0.1:53"],
  smtpPort: 25,
  mtaStsPort: 443,
  privateAddressesAllowed: false,
  maxMxHosts: 2,
  maxMultihomed: 2,
  ipLookupStrategy: "ipv4ThenIpv6",
  limits: {
    dnsMs: 1,
    connectMs: 1,
    greetingMs: 1,
    ehloMs: 1,
    startTlsMs: 1,
    tlsMs: 1,
    mtaStsMs: 1,
    deadlineMs: 1,
  },
};
