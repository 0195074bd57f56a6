import { z } from "zod";
import { type MtaTlsStrategy, TLS_POLICIES, type TlsPolicy } from "../../jmap/protocol";
import { formatDuration, parseDuration } from "./duration";

// Shared wire reference §3: what the server sends. Parsed inside query functions, so a
// malformed answer becomes an ordinary query error instead of a broken page.
export const tlsPolicySchema = z.enum(TLS_POLICIES);

export const tlsStrategySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  allowInvalidCerts: z.boolean(),
  dane: tlsPolicySchema,
  mtaSts: tlsPolicySchema,
  startTls: tlsPolicySchema,
  mtaStsTimeout: z.number().int().positive(),
  tlsTimeout: z.number().int().positive(),
}) satisfies z.ZodType<MtaTlsStrategy>;

export type TlsStrategy = z.infer<typeof tlsStrategySchema>;
export type TlsStrategyProperty = Exclude<keyof TlsStrategy, "id">;

export const POLICY_LABELS: Record<TlsPolicy, string> = {
  optional: "Optional",
  require: "Required",
  disable: "Disabled",
};

/** The server's defaults (shared wire reference §3), applied by it on create. */
export const STRATEGY_DEFAULTS = {
  description: null,
  allowInvalidCerts: false,
  dane: "optional",
  mtaSts: "optional",
  startTls: "optional",
  mtaStsTimeout: 300_000,
  tlsTimeout: 180_000,
} as const satisfies Omit<TlsStrategy, "id" | "name">;

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

const durationField = z.string().transform((text, ctx) => {
  const parsed = parseDuration(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  return parsed.ms;
});

/** The name is quoted inside delivery expressions (shared wire reference §10). */
export const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

export const tlsStrategyFormSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter a name.")
    .max(255, "Use at most 255 characters.")
    .regex(NAME_PATTERN, "Use only letters, digits, “-”, “_” and “.” (no spaces)."),
  description: z.string().transform((text) => (text.trim() === "" ? null : text.trim())),
  dane: tlsPolicySchema,
  mtaSts: tlsPolicySchema,
  startTls: tlsPolicySchema,
  allowInvalidCerts: z.boolean(),
  tlsTimeout: durationField,
  mtaStsTimeout: durationField,
});

export type TlsStrategyFormInput = z.input<typeof tlsStrategyFormSchema>;
export type TlsStrategyFormOutput = z.output<typeof tlsStrategyFormSchema>;

/** What the form shows for a stored strategy, or for the defaults when creating. */
export function toFormValues(strategy: Omit<TlsStrategy, "id"> | null): TlsStrategyFormInput {
  const source = strategy ?? { name: "", ...STRATEGY_DEFAULTS };
  return {
    name: source.name,
    description: source.description ?? "",
    dane: source.dane,
    mtaSts: source.mtaSts,
    startTls: source.startTls,
    allowInvalidCerts: source.allowInvalidCerts,
    tlsTimeout: formatDuration(source.tlsTimeout),
    mtaStsTimeout: formatDuration(source.mtaStsTimeout),
  };
}

const EDITABLE = [
  "description",
  "dane",
  "mtaSts",
  "startTls",
  "allowInvalidCerts",
  "tlsTimeout",
  "mtaStsTimeout",
] as const satisfies readonly TlsStrategyProperty[];

export type TlsStrategyPatch = Partial<Pick<TlsStrategy, (typeof EDITABLE)[number]>>;

/**
 * Only the properties the user changed: a property someone else changed meanwhile is
 * never overwritten, and `name` is never sent because the server refuses it in any
 * update, even unchanged (shared wire reference §5).
 */
export function changedProperties(
  original: TlsStrategy,
  values: TlsStrategyFormOutput,
): TlsStrategyPatch {
  const patch: Record<string, unknown> = {};
  for (const key of EDITABLE) {
    if (values[key] !== original[key]) patch[key] = values[key];
  }
  return patch as TlsStrategyPatch;
}
