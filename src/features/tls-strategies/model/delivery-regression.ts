import { isDelivered, outcomeWords, reasonText } from "../../../components/delivery/outcome-words";
import { decideFor } from "../../../stalwart/delivery/decide";
import type { DeliveryFacts } from "../../../stalwart/delivery/facts";
import type { DeliveryStrategy, Outcome } from "../../../stalwart/delivery/outcome";
import { type Finding, SECURITY_FIELDS, type SecurityField } from "./security-rules";

// The form's destination test (form/destination-test.tsx) as a security finding: a draft that turns
// a delivery into a bounce or into plaintext, for the domain tested, is flagged in the security
// review and confirmed before saving (README, "Testing a destination": On the edit and create
// forms).

/** The id of the finding, for tests and the review. */
export const DELIVERY_REGRESSION = "destination-test-regression";

const isVerifiedOrTls = (outcome: Outcome) =>
  outcome.kind === "verified" || outcome.kind === "tls-unchecked";

/**
 * A warning when, on `facts`, `saved` delivers mail (over TLS, or in plaintext for the bounce
 * case) and `draft` bounces it, or `saved` delivers over TLS and `draft` in plaintext; else
 * null. Its fields are the security fields the draft changed. Pure: both outcomes come from
 * decide.ts over the same facts (no second probe).
 */
export function deliveryRegression(
  saved: DeliveryStrategy | null,
  draft: DeliveryStrategy,
  facts: DeliveryFacts | null,
): Finding | null {
  if (!saved || !facts) return null;
  const before = decideFor(saved, facts);
  const after = decideFor(draft, facts);
  const isBounce = isDelivered(before) && after.kind === "bounced";
  const isPlaintext = isVerifiedOrTls(before) && after.kind === "plaintext";
  if (!isBounce && !isPlaintext) return null;
  const fields: SecurityField[] = SECURITY_FIELDS.filter((field) => saved[field] !== draft[field]);
  const domain = facts.target.domain;
  const was = outcomeWords(before).text;
  const message = isBounce
    ? `Mail to ${domain}: “${was}” with the saved strategy, but “${outcomeWords(after).text}” with these settings (${reasonText(after)}).`
    : `Mail to ${domain}: “${was}” with the saved strategy, but “Delivered in plaintext” with these settings: anyone on the network path could read or change it.`;
  return {
    id: DELIVERY_REGRESSION,
    severity: "warning",
    message,
    fields: fields.length > 0 ? fields : ["startTls"],
  };
}
