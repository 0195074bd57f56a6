import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SCENARIOS } from "./scenarios";
import { startTestWorld, type WorldSpec } from "./world";

// The loopback world for another process: e2e (Playwright) and the bench start it here and
// hand `env` to the embedded server they spawn, which then probes this world as it would
// probe the internet (README "Configuration": DNS_SERVERS, SMTP_PORT, MTA_STS_PORT,
// NODE_EXTRA_CA_CERTS, PROBE_PRIVATE_ADDRESSES).

export interface StartedWorld {
  /**
   * The variables a server process needs to probe this world: DNS_SERVERS ("127.0.0.1:port"),
   * SMTP_PORT, MTA_STS_PORT, NODE_EXTRA_CA_CERTS (a temporary PEM file holding the world's
   * test root) and PROBE_PRIVATE_ADDRESSES ("1": the world lives on 127.0.0.0/8).
   */
  env: Record<string, string>;
  /** The world's domains, e.g. "pki.test", "dane.test" (scenarios.ts says what each shows). */
  domains: string[];
  /** The loopback addresses given to each host name, e.g. "mx.pki.test" → ["127.42.0.3"]. */
  addresses: Record<string, string[]>;
  /** Queries the world's DNS server has answered so far, per transport (to see nothing ran). */
  dnsQueries(): { udp: number; tcp: number };
  /** The world's test root, PEM (the content of NODE_EXTRA_CA_CERTS). */
  caPem: string;
  /** Stops every server and removes the PEM file. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the world of `scenario` (a preset name of scenarios.ts, "stories" by default, or a
 * WorldSpec) and writes its root certificate to a temporary file for NODE_EXTRA_CA_CERTS.
 * Resolves once every server listens; rejects, after stopping what started, when one cannot.
 */
export async function startWorld(
  scenario: WorldSpec | keyof typeof SCENARIOS = "stories",
): Promise<StartedWorld> {
  const world = await startTestWorld(scenario);
  let directory: string | null = null;
  try {
    directory = await mkdtemp(join(tmpdir(), "delivery-world-"));
    const caFile = join(directory, "test-root.pem");
    await writeFile(caFile, world.caPem);
    let closed: Promise<void> | null = null;
    const made = directory;
    return {
      env: { ...world.env, NODE_EXTRA_CA_CERTS: caFile },
      domains: world.domains,
      addresses: world.addresses,
      caPem: world.caPem,
      dnsQueries: () => ({ ...world.dns.counts }),
      close() {
        closed ??= Promise.all([world.stop(), rm(made, { recursive: true, force: true })]).then(
          () => undefined,
        );
        return closed;
      },
    };
  } catch (error) {
    await world.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
