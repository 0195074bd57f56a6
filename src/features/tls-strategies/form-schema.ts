import * as z from "zod/mini";
import { formatDuration, parseDuration } from "./duration";
import {
  STRATEGY_DEFAULTS,
  type TlsStrategy,
  type TlsStrategyProperty,
  tlsPolicySchema,
} from "./schema";

const durationField = z.pipe(
  z.string(),
  z.transform((text: string, ctx) => {
    const parsed = parseDuration(text);
    if (!parsed.ok) {
      ctx.issues.push({ code: "custom", message: parsed.message, input: text });
      return z.NEVER;
    }
    return parsed.ms;
  }),
);

/** The name is quoted inside delivery expressions (shared wire reference §10). */
export const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

export const tlsStrategyFormSchema = z.object({
  name: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, "Enter a name."),
      z.maxLength(255, "Use at most 255 characters."),
      z.regex(NAME_PATTERN, "Use only letters, digits, “-”, “_” and “.” (no spaces)."),
    ),
  description: z.pipe(
    z.string(),
    z.transform((text: string) => (text.trim() === "" ? null : text.trim())),
  ),
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
