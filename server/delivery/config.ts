import { getServers } from "node:dns";
import { hostname } from "node:os";
import type { IpLookupStrategy } from "../../src/stalwart/delivery/facts";

// The destination probe's settings, read from the environment by a plain function (nothing is
// read at import time) so tests and the dev server can build one from a record.

export interface DnsServer {
  host: string;
  port: number;
}

export interface ProbeTimeouts {
  /** One DNS query attempt (UDP, then TCP), ms. */
  dnsMs: number;
  /** Attempts per server before the next server. */
  dnsAttempts: number;
  connectMs: number;
  greetingMs: number;
  ehloMs: number;
  /** The STARTTLS reply; held against each strategy's tlsTimeout by decide.ts. */
  startTlsMs: number;
  /** The TLS handshake; held against each strategy's tlsTimeout by decide.ts. */
  tlsMs: number;
  /** The whole policy fetch; held against each strategy's mtaStsTimeout by decide.ts. */
  mtaStsMs: number;
  quitMs: number;
  /** The whole probe. */
  deadlineMs: number;
}

export interface ProbeConfig {
  dnsServers: DnsServer[];
  smtpPort: number;
  mtaStsPort: number;
  /** NODE_EXTRA_CA_CERTS: a PEM file added to the trust store (trust-store.ts reads it). */
  extraCaFile: string | null;
  /** More PEM certificates to trust (tests: the test world's CA). */
  extraCaPem: string;
  /** Load the system CA bundle, as Stalwart on Linux does (shared delivery reference §1.6). */
  useSystemCa: boolean;
  /** PROBE_PRIVATE_ADDRESSES=1: probe loopback/private addresses (test worlds only). */
  privateAddressesAllowed: boolean;
  /** The fresh-install `mx` route (shared delivery reference §1.1). */
  maxMxHosts: number;
  maxMultihomed: number;
  ipLookupStrategy: IpLookupStrategy;
  ehloName: string;
  timeouts: ProbeTimeouts;
  /** Orders MX hosts of equal preference; Stalwart shuffles them (outbound/lookup.rs). */
  shuffle: <T>(items: T[]) => T[];
  /** Probes at once: per user and in total. */
  maxPerUser: number;
  maxTotal: number;
}

export const DEFAULT_TIMEOUTS: ProbeTimeouts = {
  dnsMs: 2_000,
  dnsAttempts: 2,
  connectMs: 10_000,
  greetingMs: 10_000,
  ehloMs: 10_000,
  startTlsMs: 10_000,
  tlsMs: 10_000,
  mtaStsMs: 10_000,
  quitMs: 2_000,
  deadlineMs: 30_000,
};

/** Fisher-Yates with Math.random: what Stalwart's `shuffle` does to equal preferences. */
export function randomShuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * One DNS_SERVERS entry: `ip`, `ip:port`, `[v6]:port` or a bare IPv6 address; port 53 by
 * default. Throws a message naming the entry when it is not an address.
 */
export function parseDnsServer(entry: string): DnsServer {
  const text = entry.trim();
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(text);
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d+))?$/.exec(text);
  const v6 = /^[0-9a-f:.]+$/i.test(text) && text.includes(":") ? text : null;
  const host = bracketed?.[1] ?? v4?.[1] ?? v6;
  const port = Number(bracketed?.[2] ?? v4?.[2] ?? "53");
  if (!host || !Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`DNS_SERVERS: "${entry}" is not an address (ip, ip:port or [ipv6]:port).`);
  return { host, port };
}

function port(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    throw new Error(`${name} must be a port number from 1 to 65535 (it is "${text}").`);
  return value;
}

/**
 * The probe's configuration from an environment record: DNS_SERVERS (comma-separated `ip` or
 * `ip:port`; default the system's resolvers, `systemServers()`), SMTP_PORT (25), MTA_STS_PORT
 * (443), NODE_EXTRA_CA_CERTS (a PEM file path), PROBE_PRIVATE_ADDRESSES ("1" allows, "0" or
 * unset refuses).
 * `overrides` sets the knobs no variable names (timeouts in ms, shuffle, extra CA PEM, ...).
 * Throws an Error with a message naming the variable when one is malformed.
 */
export function readProbeConfig(
  env: Record<string, string | undefined>,
  overrides: Partial<Omit<ProbeConfig, "timeouts">> & { timeouts?: Partial<ProbeTimeouts> } = {},
  systemServers: () => string[] = getServers,
): ProbeConfig {
  const dnsText = env.DNS_SERVERS?.trim();
  const dnsServers = dnsText
    ? dnsText
        .split(",")
        .filter((s) => s.trim())
        .map(parseDnsServer)
    : systemServers().map(parseDnsServer);
  const privateText = env.PROBE_PRIVATE_ADDRESSES ?? "";
  if (!["", "0", "1"].includes(privateText))
    throw new Error(
      `PROBE_PRIVATE_ADDRESSES must be 1 (probe private addresses) or 0 (it is "${privateText}").`,
    );
  const { timeouts, ...rest } = overrides;
  return {
    dnsServers,
    smtpPort: port(env, "SMTP_PORT", 25),
    mtaStsPort: port(env, "MTA_STS_PORT", 443),
    extraCaFile: env.NODE_EXTRA_CA_CERTS || null,
    extraCaPem: "",
    useSystemCa: true,
    privateAddressesAllowed: privateText === "1",
    maxMxHosts: 2,
    maxMultihomed: 2,
    ipLookupStrategy: "ipv4ThenIpv6",
    ehloName: hostname() || "localhost",
    shuffle: randomShuffle,
    maxPerUser: 2,
    maxTotal: 4,
    ...rest,
    timeouts: { ...DEFAULT_TIMEOUTS, ...timeouts },
  };
}
