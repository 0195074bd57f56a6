import type { Policy } from "../facts";
import type { LiveEvent, LiveTlsa } from "./events";

// The events of Stalwart's own test folded into what an admin reads (shared delivery
// reference §3.2): the MX list, the MTA-STS policy, then per host the policy check, TLSA, IPs
// and each address's steps in order. Pure; the view and compareWithStalwart both read it.

/** One step of an address: the event pair `…Start` / `…Success` / `…Error`, or a lone event. */
export interface LiveStep {
  step: "connection" | "greeting" | "ehlo" | "startTls" | "dane" | "mailFrom" | "rcptTo" | "quit";
  ok: boolean;
  /** Stalwart's own text when the step failed. */
  reason?: string;
  /** Milliseconds, when the event carries it. */
  elapsed?: number;
}

export interface LiveAttempt {
  remoteIp: string;
  steps: LiveStep[];
}

/** TLSA as the test reports it: by event, with the reason text for anything but DANE-EE. */
export type LiveTlsaResult =
  | { kind: "found"; record: LiveTlsa }
  | { kind: "notFound"; reason: string }
  | { kind: "error"; reason: string };

export interface LiveHost {
  /** Lower case, without a trailing dot. */
  hostname: string;
  /** Absent when the test had no policy to check against. */
  mtaStsVerify?: { ok: boolean; reason?: string };
  tlsa?: LiveTlsaResult;
  ips?: { ok: true; remoteIps: string[] } | { ok: false; reason: string };
  attempts: LiveAttempt[];
}

export interface LiveSummary {
  mx?:
    | { kind: "found"; mxs: { preference: number; exchanges: string[] }[] }
    | { kind: "error"; reason: string };
  mtaSts?:
    | { kind: "policy"; policy: Policy }
    | { kind: "notFound" }
    | { kind: "error"; reason: string };
  hosts: LiveHost[];
  /** The `completed` event came. */
  isCompleted: boolean;
  /** Types of events §3.2 does not list (a newer Stalwart), in order of arrival. */
  unknownTypes: string[];
}

/** Lower case without the trailing dot hickory keeps (`mx.example.com.`). */
export const hostName = (name: string) => name.toLowerCase().replace(/\.$/, "");

/** The wire policy in the page's own terms (facts.ts `Policy`; patterns lower case). */
export function policyFromLive(policy: {
  id: string;
  mode: Policy["mode"];
  mx: ({ equals: string } | { startsWith: string })[];
  max_age: number;
}): Policy {
  return {
    id: policy.id,
    mode: policy.mode,
    mx: policy.mx.map((pattern) =>
      "equals" in pattern
        ? { type: "equals", value: hostName(pattern.equals) }
        : { type: "startsWith", value: hostName(pattern.startsWith) },
    ),
    maxAge: policy.max_age,
  };
}

const STEP_OF: Record<string, LiveStep["step"]> = {
  connection: "connection",
  readGreeting: "greeting",
  ehlo: "ehlo",
  startTls: "startTls",
  mailFrom: "mailFrom",
  rcptTo: "rcptTo",
};

/**
 * The summary of `events` (in arrival order; a partial stream gives a partial summary).
 * Events about a host before any `deliveryAttemptStart`, or about an address before any
 * `connectionStart`, are dropped: nothing to hang them on.
 */
export function summarizeLiveTest(events: readonly LiveEvent[]): LiveSummary {
  const summary: LiveSummary = { hosts: [], isCompleted: false, unknownTypes: [] };
  let host: LiveHost | undefined;
  let attempt: LiveAttempt | undefined;
  const addStep = (step: LiveStep) => attempt?.steps.push(step);
  for (const event of events) {
    switch (event.type) {
      case "other":
        summary.unknownTypes.push(event.name);
        break;
      case "completed":
        summary.isCompleted = true;
        break;
      case "mxLookupSuccess":
        summary.mx = {
          kind: "found",
          mxs: event.mxs.map((mx) => ({
            preference: mx.preference,
            exchanges: mx.exchanges.map(hostName),
          })),
        };
        break;
      case "mxLookupError":
        summary.mx = { kind: "error", reason: event.reason };
        break;
      case "mtaStsFetchSuccess":
        summary.mtaSts = { kind: "policy", policy: policyFromLive(event.policy) };
        break;
      case "mtaStsNotFound":
        summary.mtaSts = { kind: "notFound" };
        break;
      case "mtaStsFetchError":
        summary.mtaSts = { kind: "error", reason: event.reason };
        break;
      case "deliveryAttemptStart":
        host = { hostname: hostName(event.hostname), attempts: [] };
        attempt = undefined;
        summary.hosts.push(host);
        break;
      case "mtaStsVerifySuccess":
        if (host) host.mtaStsVerify = { ok: true };
        break;
      case "mtaStsVerifyError":
        if (host) host.mtaStsVerify = { ok: false, reason: event.reason };
        break;
      case "tlsaLookupSuccess":
        if (host) host.tlsa = { kind: "found", record: event.record };
        break;
      case "tlsaNotFound":
        if (host) host.tlsa = { kind: "notFound", reason: event.reason };
        break;
      case "tlsaLookupError":
        if (host) host.tlsa = { kind: "error", reason: event.reason };
        break;
      case "ipLookupSuccess":
        if (host) host.ips = { ok: true, remoteIps: event.remoteIps };
        break;
      case "ipLookupError":
        if (host) host.ips = { ok: false, reason: event.reason };
        break;
      case "connectionStart":
        attempt = { remoteIp: event.remoteIp, steps: [] };
        host?.attempts.push(attempt);
        break;
      case "daneVerifySuccess":
        addStep({ step: "dane", ok: true });
        break;
      case "daneVerifyError":
        addStep({ step: "dane", ok: false, reason: event.reason });
        break;
      case "quitCompleted":
        addStep({ step: "quit", ok: true, elapsed: event.elapsed });
        break;
      default: {
        const match = /^(.*)(Success|Error)$/.exec(event.type);
        const step = match ? STEP_OF[match[1] ?? ""] : undefined;
        if (!step || !match) break;
        const ok = match[2] === "Success";
        const elapsed = "elapsed" in event ? event.elapsed : undefined;
        const reason = "reason" in event ? event.reason : undefined;
        addStep({
          step,
          ok,
          ...(reason !== undefined ? { reason } : {}),
          ...(elapsed !== undefined ? { elapsed } : {}),
        });
      }
    }
  }
  return summary;
}
