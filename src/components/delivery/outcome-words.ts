import type { Outcome } from "../../stalwart/delivery/outcome";

// The outcome of one strategy in the exact words of the page (README "Testing a destination", "The
// outcome table"), the MX it ends on, and the reason in Stalwart's own error kind and text.

export type OutcomeTone = "good" | "warning" | "bad" | "pending";

/** "Delivered over verified TLS by PKI", …, "Bounced (permanent failure)"; and its tone. */
export function outcomeWords(outcome: Outcome): { text: string; tone: OutcomeTone } {
  switch (outcome.kind) {
    case "verified":
      return {
        text: `Delivered over verified TLS ${outcome.by === "pki" ? "by PKI" : "by DANE"}`,
        tone: "good",
      };
    case "tls-unchecked":
      return { text: "Delivered over TLS, certificate not checked", tone: "warning" };
    case "plaintext":
      return { text: "Delivered in plaintext", tone: "bad" };
    case "deferred":
      return { text: "Deferred (temporary failure)", tone: "warning" };
    case "bounced":
      return { text: "Bounced (permanent failure)", tone: "bad" };
    case "pending":
      return { text: "Waiting for the facts…", tone: "pending" };
    case "unknown":
      return { text: "Cannot tell", tone: "pending" };
  }
}

/** Where delivery ends: the MX host (and address), or the whole domain for a route failure. */
export function endsOn(outcome: Outcome): string {
  if (outcome.kind === "pending") return "—";
  if (outcome.kind === "deferred" || outcome.kind === "bounced") {
    if (outcome.host === null) return "the whole domain (before any MX)";
    return outcome.address ? `${outcome.host} (${outcome.address})` : outcome.host;
  }
  if (!outcome.host) return "—";
  return outcome.address ? `${outcome.host} (${outcome.address})` : outcome.host;
}

const PLAINTEXT_WHY = {
  "startTls-disabled": "STARTTLS is disabled by this strategy.",
  "starttls-not-advertised": "The host does not advertise STARTTLS, and TLS is not required.",
  "starttls-refused": "The host refused STARTTLS, and TLS is not required.",
} as const;

/** Why: Stalwart's error kind and exact text for a failure, else what decided it. */
export function reasonText(outcome: Outcome): string {
  switch (outcome.kind) {
    case "deferred":
    case "bounced":
      return `${outcome.error.kind}: ${outcome.error.text}`;
    case "plaintext":
      return PLAINTEXT_WHY[outcome.why];
    case "verified":
      return [
        outcome.by === "dane"
          ? "The certificate matches the host's TLSA records."
          : "The certificate chains to a trusted root and names the host.",
        outcome.protocol,
      ]
        .filter(Boolean)
        .join(" ");
    case "tls-unchecked":
      return outcome.pkiWouldPass
        ? "Invalid certificates are allowed; this one would have passed the PKI check anyway."
        : "Invalid certificates are allowed; this one would fail the PKI check.";
    case "pending":
      return `Waiting for ${outcome.reason}.`;
    case "unknown":
      return outcome.reason;
  }
}

/** Whether mail is delivered at all (over TLS or not). */
export const isDelivered = (outcome: Outcome) =>
  outcome.kind === "verified" || outcome.kind === "tls-unchecked" || outcome.kind === "plaintext";
