import { createServer } from "node:net";
import type * as packet from "dns-packet";
import { type ProbeConfig, type ProbeTimeouts, readProbeConfig } from "../config";
import { startDnsServer, type TestDnsServer, type ZoneEntry, zoneOf } from "./dns-server";
import { type CertKind, createTestPki, type TestPki, tlsaFor } from "./pki";
import { SCENARIOS } from "./scenarios";
import {
  type Listener,
  type PolicyBehaviour,
  type SmtpBehaviour,
  startPolicyServer,
  startSmtp,
} from "./servers";

// The loopback world: DNS, PKI, MTA-STS policy hosts and SMTP hosts for a set of test domains,
// all on 127.0.0.0/8 and ephemeral ports, stopped by stop(). Reusable by e2e tests: the lead's
// Playwright suite can start the same world and point the server at it with the env it gives.

export type TlsaForm = "3 1 1" | "3 0 1" | "2 0 1" | "2 1 0";

export interface HostSpec {
  name: string;
  smtp: SmtpBehaviour;
  /** The certificate served after STARTTLS (default "valid" for this name). */
  cert?: CertKind;
  /** How many addresses (default 1), each its own 127.x.y.z. */
  addresses?: number;
  /** TLSA `_25._tcp.<name>`: forms with the AD bit (`secure`, default true), or a failure. */
  tlsa?: { forms: TlsaForm[]; secure?: boolean; extra?: packet.TlsaData[] } | "bogus" | "servfail";
  /** Extra zone entry for the host's A record (delays, failures). */
  a?: ZoneEntry;
}

export interface DomainSpec {
  name: string;
  /** MX records (preference, host); omitted: no MX (NODATA). */
  mx?: { preference: number; host: string }[];
  /** Overrides for the MX answer: `{ ad: true }` (signed), `{ bogus: true }`, `{ rcode }`. */
  mxEntry?: ZoneEntry;
  /** `_mta-sts` TXT strings (or a zone entry) and the policy host's behaviour. */
  sts?: { txt: string[] | ZoneEntry; policy?: PolicyBehaviour; cert?: CertKind };
  /** `_smtp._tls` TXT strings (TLS-RPT). */
  tlsRpt?: string[];
  hosts: HostSpec[];
}

export interface WorldSpec {
  /** `. DNSKEY` comes back with AD=1 (default true). */
  resolverValidates?: boolean;
  /** The DNS server answers over UDP only. */
  udpOnly?: boolean;
  domains: DomainSpec[];
}

export interface TestWorld {
  /** "127.0.0.1:port" for DNS_SERVERS. */
  dnsServer: string;
  dns: TestDnsServer;
  smtpPort: number;
  mtaStsPort: number;
  /** The trusted test root, PEM: the probe's extra CA. */
  caPem: string;
  pki: TestPki;
  /** The test domains of the scenario. */
  domains: string[];
  /** The addresses given to each host name (and `mta-sts.<domain>`). */
  addresses: Record<string, string[]>;
  /** The environment a server process needs to probe this world. */
  env: Record<string, string>;
  /** A probe config for this world: private addresses allowed, the test CA, no shuffle. */
  config(timeouts?: Partial<ProbeTimeouts>, overrides?: Partial<ProbeConfig>): ProbeConfig;
  stop(): Promise<void>;
}

/** Short step timeouts so hostile cases end quickly in tests (ms). */
export const TEST_TIMEOUTS: Partial<ProbeTimeouts> = {
  dnsMs: 500,
  dnsAttempts: 1,
  connectMs: 1_000,
  greetingMs: 1_000,
  ehloMs: 1_000,
  startTlsMs: 1_000,
  tlsMs: 1_000,
  mtaStsMs: 1_500,
  quitMs: 500,
  deadlineMs: 10_000,
};

let worldCount = 0;

/** Binds a throwaway server to find a port the kernel considers free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts every `start(port)` on ONE shared port, retrying with another on EADDRINUSE. */
async function onSharedPort(
  starts: ((port: number) => Promise<Listener>)[],
): Promise<{ port: number; listeners: Listener[] }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort();
    const listeners: Listener[] = [];
    try {
      for (const start of starts) listeners.push(await start(port));
      return { port, listeners };
    } catch (error) {
      await Promise.all(listeners.map((l) => l.close()));
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    }
  }
  throw new Error("No port was free on every test address after 20 tries.");
}

/**
 * Starts the world of `scenario` (a WorldSpec, or a preset name from scenarios.ts such as
 * "stories"): generates the PKI, serves the zone, the policy hosts and the SMTP hosts, and
 * resolves once everything listens. Rejects (after stopping what started) when a server
 * cannot start.
 */
export async function startTestWorld(
  scenario: WorldSpec | keyof typeof SCENARIOS,
): Promise<TestWorld> {
  const spec = typeof scenario === "string" ? SCENARIOS[scenario] : scenario;
  worldCount += 1;
  // A second octet per world keeps parallel worlds (vitest workers) on distinct addresses.
  const octet = 10 + ((process.pid * 7 + worldCount * 13) % 240);
  let next = 2;
  const allocate = () => {
    const n = next++;
    return `127.${octet}.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  };
  const pki = await createTestPki();
  const addresses: Record<string, string[]> = {};
  const rows: [string, string, ZoneEntry][] = [];
  rows.push([
    ".",
    "DNSKEY",
    {
      ad: spec.resolverValidates !== false,
      answers: [
        {
          type: "DNSKEY",
          name: ".",
          ttl: 60,
          data: { flags: 257, algorithm: 8, key: Buffer.from("test-root-key") },
        } as packet.Answer,
      ],
    },
  ]);
  const smtpStarts: ((port: number) => Promise<Listener>)[] = [];
  const policyStarts: ((port: number) => Promise<Listener>)[] = [];
  for (const domain of spec.domains) {
    if (domain.mx)
      rows.push([
        domain.name,
        "MX",
        {
          ...domain.mxEntry,
          answers: domain.mx.map(
            (m) =>
              ({
                type: "MX",
                name: domain.name,
                ttl: 60,
                data: { preference: m.preference, exchange: m.host },
              }) as packet.Answer,
          ),
        },
      ]);
    else if (domain.mxEntry) rows.push([domain.name, "MX", domain.mxEntry]);
    if (domain.tlsRpt)
      rows.push([
        `_smtp._tls.${domain.name}`,
        "TXT",
        {
          answers: domain.tlsRpt.map(
            (t) =>
              ({
                type: "TXT",
                name: `_smtp._tls.${domain.name}`,
                ttl: 60,
                data: [t],
              }) as packet.Answer,
          ),
        },
      ]);
    if (domain.sts) {
      const txt = domain.sts.txt;
      const name = `_mta-sts.${domain.name}`;
      rows.push([
        name,
        "TXT",
        Array.isArray(txt)
          ? {
              answers: txt.map((t) => ({ type: "TXT", name, ttl: 60, data: [t] }) as packet.Answer),
            }
          : txt,
      ]);
      const policy = domain.sts.policy;
      if (policy) {
        const host = `mta-sts.${domain.name}`;
        const address = allocate();
        addresses[host] = [address];
        rows.push([host, "A", { answers: [{ type: "A", name: host, ttl: 60, data: address }] }]);
        const leaf = await pki.leaf([host], domain.sts.cert ?? "valid");
        policyStarts.push((port) => startPolicyServer(policy, address, port, leaf));
      }
    }
    for (const host of domain.hosts) {
      const list = Array.from({ length: host.addresses ?? 1 }, allocate);
      addresses[host.name] = list;
      rows.push([
        host.name,
        "A",
        {
          ...host.a,
          answers: list.map(
            (a) => ({ type: "A", name: host.name, ttl: 60, data: a }) as packet.Answer,
          ),
        },
      ]);
      const leaf = await pki.leaf([host.name], host.cert ?? "valid");
      for (const address of list)
        smtpStarts.push((port) => startSmtp(host.smtp, address, port, leaf));
      const tlsaName = `_25._tcp.${host.name}`;
      if (host.tlsa === "bogus") rows.push([tlsaName, "TLSA", { bogus: true, answers: [] }]);
      else if (host.tlsa === "servfail") rows.push([tlsaName, "TLSA", { rcode: "SERVFAIL" }]);
      else if (host.tlsa) {
        const records = host.tlsa.forms.map((form) => tlsaFor(form, leaf.der, pki.ca.der));
        const data: packet.TlsaData[] = [
          ...records.map((r) => ({
            usage: r.usage,
            selector: r.selector,
            matchingType: r.matchingType,
            certificate: Buffer.from(r.data, "hex"),
          })),
          ...(host.tlsa.extra ?? []),
        ];
        rows.push([
          tlsaName,
          "TLSA",
          {
            ad: host.tlsa.secure !== false,
            answers: data.map(
              (d) => ({ type: "TLSA", name: tlsaName, ttl: 60, data: d }) as packet.Answer,
            ),
          },
        ]);
      }
    }
  }
  const dns = await startDnsServer(zoneOf(rows), { udpOnly: spec.udpOnly === true });
  const stopped: Listener[] = [];
  try {
    const smtp = await onSharedPort(smtpStarts);
    stopped.push(...smtp.listeners);
    const sts = await onSharedPort(policyStarts);
    stopped.push(...sts.listeners);
    const env = {
      DNS_SERVERS: dns.address,
      SMTP_PORT: String(smtp.port),
      MTA_STS_PORT: String(sts.port),
      PROBE_PRIVATE_ADDRESSES: "1",
    };
    return {
      dnsServer: dns.address,
      dns,
      smtpPort: smtp.port,
      mtaStsPort: sts.port,
      caPem: pki.ca.certPem,
      pki,
      domains: spec.domains.map((domain) => domain.name),
      addresses,
      env,
      config: (timeouts = {}, overrides = {}) =>
        readProbeConfig(env, {
          extraCaPem: pki.ca.certPem,
          extraCaFile: null,
          useSystemCa: false,
          shuffle: (items) => items,
          ehloName: "probe.test",
          ...overrides,
          timeouts: { ...TEST_TIMEOUTS, ...timeouts },
        }),
      async stop() {
        await Promise.all([dns.stop(), ...stopped.map((l) => l.close())]);
      },
    };
  } catch (error) {
    await Promise.all([dns.stop(), ...stopped.map((l) => l.close())]);
    throw error;
  }
}
