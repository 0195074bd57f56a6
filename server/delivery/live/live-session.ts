import type { TlsaFacts } from "../../../src/stalwart/delivery/facts";
import { smtpResponseText } from "../../../src/stalwart/delivery/outcome";
import type { ProbeConfig } from "../config";
import { type AddressProbeResult, probeAddress } from "../smtp/smtp-probe";
import { matchDane } from "../tls/dane";
import type { LiveEvent } from "./live-events";

// One address of the live delivery test, as diagnose.rs l.520-750 walks it: the probe runs the
// SMTP session while its patches become events, in order; STARTTLS always with PKI, DANE only
// after a PKI handshake, EHLO again, MAIL FROM / RCPT TO when an address was given, QUIT.

/**
 * One address, as diagnose.rs walks it: the probe runs the session while its patches become
 * events; "success" when the host passed (RCPT TO accepted, or no address to check).
 */
export async function* ipSession(input: {
  hostname: string;
  remoteIp: string;
  address: string | undefined;
  daneRecords: TlsaFacts["usable"] | null;
  config: ProbeConfig;
  timeouts: ProbeConfig["timeouts"];
  ca: string[];
  signal: AbortSignal | undefined;
}): AsyncGenerator<LiveEvent, "success" | "next"> {
  const queue: LiveEvent[] = [];
  let wake: (() => void) | null = null;
  const push = (...events: LiveEvent[]) => {
    queue.push(...events);
    wake?.();
  };
  let isSuccess = false;
  let reachedQuit = false;
  let startTlsElapsed = 0;
  const probe: Promise<AddressProbeResult> = probeAddress({
    host: input.hostname,
    address: input.remoteIp,
    port: input.config.smtpPort,
    ehloName: input.config.ehloName,
    timeouts: input.timeouts,
    ca: input.ca,
    signal: input.signal,
    onPatch: (patch) => {
      const { connect, greeting, ehlo, startTls, tls } = patch;
      if (connect)
        push(
          connect.ok
            ? { type: "connectionSuccess", elapsed: connect.elapsedMs }
            : { type: "connectionError", elapsed: connect.elapsedMs, reason: connect.error ?? "" },
        );
      if (connect?.ok) push({ type: "readGreetingStart" });
      if (greeting) {
        if (greeting.outcome === "reply" && greeting.code === 220)
          push({ type: "readGreetingSuccess", elapsed: greeting.elapsedMs }, { type: "ehloStart" });
        else
          push({
            type: "readGreetingError",
            elapsed: greeting.elapsedMs,
            reason: stepReason(greeting, "reading greeting"),
          });
      }
      if (ehlo) {
        if (ehlo.outcome === "reply" && ehlo.code !== null && ehlo.code < 300) {
          push({ type: "ehloSuccess", elapsed: ehlo.elapsedMs }, { type: "startTlsStart" });
          if (!ehlo.capabilities.includes("STARTTLS"))
            push({ type: "startTlsError", elapsed: 0, reason: "STARTTLS not advertised by host" });
        } else push({ type: "ehloError", elapsed: ehlo.elapsedMs, reason: ehloReason(ehlo) });
      }
      if (startTls) {
        startTlsElapsed = startTls.elapsedMs;
        if (startTls.outcome === "reply" && startTls.code !== 220)
          push({
            type: "startTlsError",
            elapsed: startTls.elapsedMs,
            reason: smtpResponseText(startTls.code ?? 0, startTls.lines),
          });
        else if (startTls.outcome !== "reply")
          push({
            type: "startTlsError",
            elapsed: startTls.elapsedMs,
            reason: stepReason(startTls, ""),
          });
      }
      if (tls) {
        const elapsed = startTlsElapsed + tls.elapsedMs;
        // STARTTLS always uses the PKI connector here (diagnose.rs l.576).
        if (tls.outcome === "ok" && tls.pki.ok) push({ type: "startTlsSuccess", elapsed });
        else if (tls.outcome === "ok")
          push({
            type: "startTlsError",
            elapsed,
            reason: `TLS error: invalid peer certificate: ${tls.pki.reason}`,
          });
        else if (tls.outcome === "timeout")
          push({ type: "startTlsError", elapsed, reason: "Connection timeout" });
        else push({ type: "startTlsError", elapsed, reason: `TLS error: ${tls.error ?? ""}` });
      }
    },
    afterTls: async (connection, tls, chain) => {
      if (!tls.pki.ok) return;
      if (input.daneRecords) {
        const match = matchDane(chain, input.daneRecords, [input.hostname]);
        push(
          match.outcome === "match"
            ? { type: "daneVerifySuccess" }
            : { type: "daneVerifyError", reason: match.reason },
        );
      }
      push({ type: "ehloStart" });
      connection.send(`EHLO ${input.config.ehloName}`);
      const ehlo = await connection.readReply(input.timeouts.ehloMs);
      if (ehlo.outcome !== "reply" || ehlo.code === null || ehlo.code >= 300)
        return push({ type: "ehloError", elapsed: ehlo.elapsedMs, reason: ehloReason(ehlo) });
      push({ type: "ehloSuccess", elapsed: ehlo.elapsedMs });
      isSuccess = input.address === undefined;
      if (input.address !== undefined) {
        push({ type: "mailFromStart" });
        connection.send("MAIL FROM:<>");
        const mail = await connection.readReply(input.timeouts.ehloMs);
        if (mail.outcome !== "reply" || (mail.code ?? 0) >= 300) {
          push({ type: "mailFromError", reason: replyReason(mail), elapsed: mail.elapsedMs });
        } else {
          push({ type: "mailFromSuccess", elapsed: mail.elapsedMs }, { type: "rcptToStart" });
          connection.send(`RCPT TO:<${input.address}>`);
          const rcpt = await connection.readReply(input.timeouts.ehloMs);
          if (rcpt.outcome === "reply" && (rcpt.code ?? 0) < 300) {
            isSuccess = true;
            push({ type: "rcptToSuccess", elapsed: rcpt.elapsedMs });
          } else push({ type: "rcptToError", reason: replyReason(rcpt), elapsed: rcpt.elapsedMs });
        }
      }
      reachedQuit = true;
      push({ type: "quitStart" });
    },
  });
  let result: AddressProbeResult | null = null;
  void probe.then((r) => {
    result = r;
    wake?.();
  });
  while (true) {
    const event = queue.shift();
    if (event) {
      yield event;
      continue;
    }
    if (result) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = null;
  }
  const done = result as AddressProbeResult | null;
  if (reachedQuit) yield { type: "quitCompleted", elapsed: done?.quitElapsedMs ?? 0 };
  return reachedQuit && isSuccess ? "success" : "next";
}

type Step = { outcome: string; code: number | null; lines: string[]; error?: string };

/** ClientError's Display for a failed read (error.rs). */
function stepReason(step: Step, stage: string): string {
  if (step.outcome === "timeout") return stage ? `Timeout while ${stage}` : "Connection timeout";
  if (step.outcome === "unparseable") return "Unparseable SMTP reply";
  if (step.outcome === "reply")
    return `Unexpected reply: ${smtpResponseText(step.code ?? 0, step.lines)}`;
  return `I/O error: ${step.error ?? "unexpected end of file"}`;
}

const ehloReason = (step: Step) =>
  step.outcome === "timeout" ? "Timed out reading response" : stepReason(step, "");
const replyReason = (step: Step) => stepReason(step, "");
