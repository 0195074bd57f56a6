import type { DeliveryFacts, Target, TlsaFacts } from "../../src/stalwart/delivery/facts";
import { applyFrame, type DeliveryFrame } from "../../src/stalwart/delivery/frames";
import { refusalReason } from "./address-filter";
import type { ProbeConfig } from "./config";
import { createDnsClient, type DnsClient } from "./dns/dns-client";
import { checkResolver, lookupAddresses, lookupMx, lookupTlsa } from "./dns/dns-lookup";
import { collectMtaSts } from "./mta-sts/mta-sts";
import { probeAddress } from "./smtp/smtp-probe";
import { parseTarget } from "./target";
import { matchDane } from "./tls/dane";
import { trustedRoots } from "./tls/trust-store";

// The one-pass collector behind "test a destination": every fact decide.ts needs, for all
// strategies at once, streamed as frames as each arrives. Independent work runs concurrently
// (resolver check, MTA-STS, MX; then every host; then every address), so the total tracks the
// slowest host, not the sum. One AbortController stops it all: the caller's signal, or the
// deadline, which ends the probe whatever is still running.

export interface ProbeOptions {
  signal?: AbortSignal;
  /** The whole probe, ms (default config.timeouts.deadlineMs, 30000). */
  deadlineMs?: number;
  /** Each frame, in order; never called after the `done` frame. */
  onFrame?: (frame: DeliveryFrame) => void;
  /** Injected clock for `collectedAt` (tests). */
  now?: () => Date;
}

export class ProbeInputError extends Error {}

/** The facts before anything is collected: target, source and the probe's limits. */
export function initialFacts(target: Target, config: ProbeConfig, now: Date): DeliveryFacts {
  const t = config.timeouts;
  return {
    target,
    collectedAt: now.toISOString(),
    source: {
      resolvers: config.dnsServers.map((s) =>
        s.host.includes(":") ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`,
      ),
      smtpPort: config.smtpPort,
      mtaStsPort: config.mtaStsPort,
      privateAddressesAllowed: config.privateAddressesAllowed,
      maxMxHosts: config.maxMxHosts,
      maxMultihomed: config.maxMultihomed,
      ipLookupStrategy: config.ipLookupStrategy,
      limits: {
        dnsMs: t.dnsMs,
        connectMs: t.connectMs,
        greetingMs: t.greetingMs,
        ehloMs: t.ehloMs,
        startTlsMs: t.startTlsMs,
        tlsMs: t.tlsMs,
        mtaStsMs: t.mtaStsMs,
        deadlineMs: t.deadlineMs,
      },
    },
    hosts: [],
    status: "collecting",
  };
}

/** Probes one MX host: addresses and TLSA at once, then every address at once, then DANE. */
async function probeHost(
  name: string,
  domain: string,
  deps: {
    client: DnsClient;
    config: ProbeConfig;
    ca: string[];
    signal: AbortSignal;
    emit: (f: DeliveryFrame) => void;
  },
): Promise<void> {
  const { client, config, signal, emit } = deps;
  emit({ type: "step", text: `Looking up the addresses and TLSA records of ${name}` });
  const tlsaPromise = lookupTlsa(client, name, signal).then((tlsa) => {
    emit({ type: "host", host: { name, tlsa } });
    return tlsa;
  });
  const ips = await lookupAddresses(client, name, config, signal);
  emit({ type: "host", host: { name, ips } });
  await Promise.all(
    ips.addresses.map(async (address) => {
      const refused = config.privateAddressesAllowed ? null : refusalReason(address);
      if (refused) {
        emit({ type: "address", host: name, address: { address, refused, done: true } });
        return;
      }
      emit({ type: "step", text: `Connecting to ${address} (${name}) on port ${config.smtpPort}` });
      const probe = await probeAddress({
        host: name,
        address,
        port: config.smtpPort,
        ehloName: config.ehloName,
        timeouts: config.timeouts,
        ca: deps.ca,
        signal,
        onPatch: (patch) => emit({ type: "address", host: name, address: patch }),
      });
      const tlsa: TlsaFacts = await tlsaPromise;
      if (probe.facts.tls?.outcome !== "ok" || tlsa.usable.length === 0) return;
      // Delivery checks DANE against [MX host, recipient domain] (D l.1203-1209).
      const dane = matchDane(probe.chain, tlsa.usable, [name, domain]);
      emit({ type: "address", host: name, address: { address, dane } });
    }),
  );
  await tlsaPromise;
}

/**
 * Collects the facts for `input` (a domain, IDN or address) in one pass, streaming frames
 * through `options.onFrame`: `start` at once, then `step`/`resolver`/`mtaSts`/`mx`/`host`/
 * `address` as they arrive, then `done` ("complete", or "stopped" when the signal aborted or
 * `deadlineMs` passed: the promise settles by the deadline whatever is still running).
 * Resolves with the assembled facts (what applyFrame builds from the frames). Throws
 * ProbeInputError (after an `error` frame) for a target parseTarget refuses, and an Error when
 * NODE_EXTRA_CA_CERTS cannot be read.
 */
export async function probeDestination(
  input: string,
  config: ProbeConfig,
  options: ProbeOptions = {},
): Promise<DeliveryFacts> {
  const parsed = parseTarget(input);
  if ("error" in parsed) {
    options.onFrame?.({ type: "error", text: parsed.error });
    throw new ProbeInputError(parsed.error);
  }
  // Before the first frame: an unreadable NODE_EXTRA_CA_CERTS is a configuration error.
  const ca = trustedRoots(config);
  const started = performance.now();
  const deadlineMs = options.deadlineMs ?? config.timeouts.deadlineMs;
  let facts = initialFacts(
    parsed.target,
    { ...config, timeouts: { ...config.timeouts, deadlineMs } },
    (options.now ?? (() => new Date()))(),
  );
  let isFinished = false;
  const controller = new AbortController();
  const emit = (frame: DeliveryFrame) => {
    // A step cut short by the stop is no fact about the destination: drop what it reports.
    if (isFinished || (controller.signal.aborted && frame.type !== "done")) return;
    facts = frame.type === "start" ? frame.facts : applyFrame(facts, frame);
    options.onFrame?.(frame);
  };
  emit({ type: "start", facts });

  const stop = (reason: string) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const onAbort = () => stop("stopped by the client");
  if (options.signal?.aborted) stop("stopped by the client");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => {
    deadlineTimer = setTimeout(() => {
      stop(`the deadline of ${deadlineMs} ms passed`);
      resolve();
    }, deadlineMs);
    deadlineTimer.unref();
    controller.signal.addEventListener("abort", () => resolve(), { once: true });
  });

  const signal = controller.signal;
  const domain = parsed.target.domain;
  const client = createDnsClient(
    config.dnsServers,
    config.timeouts.dnsMs,
    config.timeouts.dnsAttempts,
  );
  const deps = { client, config, ca, signal, emit };
  const quietly = (work: Promise<void>) => work.catch(() => undefined);
  const work = Promise.all([
    quietly(
      (async () => {
        emit({ type: "step", text: "Checking whether the resolver validates DNSSEC" });
        emit({ type: "resolver", resolver: await checkResolver(client, signal) });
      })(),
    ),
    quietly(
      (async () => {
        emit({ type: "step", text: `Fetching the MTA-STS policy of ${domain}` });
        emit({
          type: "mtaSts",
          mtaSts: await collectMtaSts(domain, { client, config, ca, signal }),
        });
      })(),
    ),
    quietly(
      (async () => {
        emit({ type: "step", text: `Looking up the MX records of ${domain}` });
        const mx = await lookupMx(client, domain, config, signal);
        emit({ type: "mx", mx });
        for (const name of mx.hosts) emit({ type: "host", host: { name } });
        await Promise.all(mx.hosts.map((name) => quietly(probeHost(name, domain, deps))));
      })(),
    ),
  ]);
  await Promise.race([work, deadline]);
  clearTimeout(deadlineTimer);
  options.signal?.removeEventListener("abort", onAbort);
  const reason = signal.aborted ? String(signal.reason) : undefined;
  const elapsedMs = Math.round(performance.now() - started);
  emit(
    reason
      ? { type: "done", status: "stopped", stopReason: reason, elapsedMs }
      : { type: "done", status: "complete", elapsedMs },
  );
  isFinished = true;
  stop("finished");
  return facts;
}

/** probeDestination as an async generator of its frames (ends after `done` or `error`). */
export async function* probeFrames(
  input: string,
  config: ProbeConfig,
  options: Omit<ProbeOptions, "onFrame"> = {},
): AsyncGenerator<DeliveryFrame> {
  const queue: DeliveryFrame[] = [];
  let wake: (() => void) | null = null;
  let isOver = false;
  // A consumer that stops iterating stops the probe too.
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const run = probeDestination(input, config, {
    ...options,
    signal: controller.signal,
    onFrame: (frame) => {
      queue.push(frame);
      wake?.();
    },
  })
    .catch(() => undefined)
    .finally(() => {
      isOver = true;
      wake?.();
    });
  try {
    while (true) {
      const frame = queue.shift();
      if (frame) {
        yield frame;
        continue;
      }
      if (isOver) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    controller.abort();
    options.signal?.removeEventListener("abort", onAbort);
    await run;
  }
}
