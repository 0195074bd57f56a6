import type { TlsPolicy } from "../../../jmap/protocol";
import type { TlsStrategyProperty } from "../../../stalwart/tls-strategy";

// The strategy's fields as an admin reads them: labels and help texts, as the server's schema
// and seed documentation word them (shared wire reference §3).

export const POLICY_LABELS: Record<TlsPolicy, string> = {
  optional: "Optional",
  require: "Required",
  disable: "Disabled",
};

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
