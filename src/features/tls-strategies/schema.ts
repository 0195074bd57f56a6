import * as z from "zod/mini";
import {
  type MtaTlsStrategy,
  TLS_POLICIES,
  TLS_STRATEGY_DEFAULTS,
  type TlsPolicy,
} from "../../jmap/protocol";

// Shared wire reference §3: what the server sends. Parsed inside query functions, so a
// malformed answer becomes an ordinary query error instead of a broken page.
export const tlsPolicySchema = z.enum(TLS_POLICIES);

const milliseconds = z.int().check(z.positive());

export const tlsStrategySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.nullable(z.string()),
  allowInvalidCerts: z.boolean(),
  dane: tlsPolicySchema,
  mtaSts: tlsPolicySchema,
  startTls: tlsPolicySchema,
  mtaStsTimeout: milliseconds,
  tlsTimeout: milliseconds,
}) satisfies z.ZodMiniType<MtaTlsStrategy>;

export type TlsStrategy = z.infer<typeof tlsStrategySchema>;
export type TlsStrategyProperty = Exclude<keyof TlsStrategy, "id">;

export const POLICY_LABELS: Record<TlsPolicy, string> = {
  optional: "Optional",
  require: "Required",
  disable: "Disabled",
};

/** The server's defaults (shared wire reference §3), applied by it on create. */
export const STRATEGY_DEFAULTS = TLS_STRATEGY_DEFAULTS;

/** Labels and help texts, as the server's schema and seed documentation word them. */
export const FIELDS: Record<TlsStrategyProperty, { label: string; help: string }> = {
  name: { label: "Name", help: "Short identifier for the TLS strategy." },
  description: {
    label: "Description",
    help: "A short description of the TLS strategy, which can be used to identify it in the list of strategies.",
  },
  dane: { label: "DANE", help: "Whether DANE is required, optional, or disabled." },
  mtaSts: { label: "MTA-STS", help: "Whether MTA-STS is required, optional, or disabled." },
  startTls: { label: "STARTTLS", help: "Whether TLS support is required, optional, or disabled." },
  allowInvalidCerts: {
    label: "Allow invalid certificates",
    help: "Whether to allow connections to servers with invalid TLS certificates.",
  },
  tlsTimeout: {
    label: "TLS handshake timeout",
    help: "Maximum time to wait for the TLS handshake to complete.",
  },
  mtaStsTimeout: {
    label: "MTA-STS lookup timeout",
    help: "Maximum time to wait for the MTA-STS policy lookup to complete.",
  },
};
