import * as z from "zod/mini";
import { hiddenCharacters, mixedScripts } from "../../../components/shown-text";
import { STRATEGY_DEFAULTS, tlsPolicySchema } from "../../../stalwart/tls-strategy";
import type { StrategyValues, TlsStrategyFormInput } from "../model/changes";
import { formatDuration } from "../model/duration";
import { parseDuration } from "../model/parse-duration";

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

/**
 * What the page lets a new strategy be called. Stalwart accepts any non-empty name, but a
 * name is quoted inside delivery expressions (shared wire reference §10), so a new name
 * keeps to letters and digits of any script, "-", "_" and "." — nothing that needs escaping
 * there — and refuses what would let it pass for another name: invisible or direction-
 * changing characters, and look-alike alphabets mixed (a Cyrillic “е” in “dеfault”).
 * Existing names are never checked: they cannot change (README, "Rules never stricter than
 * the server for what exists").
 */
export const NAME_PATTERN = /^[\p{L}\p{M}\p{N}._-]+$/u;
export const NAME_MAX_LENGTH = 255;
export const NAME_RULE =
  "Use only letters, digits (of any alphabet), “-”, “_” and “.”: no spaces, quotes or other symbols.";

/** Why `name` (already trimmed) cannot be a new strategy's name, or null if it can. */
export function nameProblem(name: string): string | null {
  if (name === "") return "Enter a name.";
  const hidden = hiddenCharacters(name);
  if (hidden.length > 0) {
    return `The name contains ${hidden.length === 1 ? "an invisible or direction-changing character" : "invisible or direction-changing characters"} (${hidden.join(", ")}), which would let it pass for another name. Remove ${hidden.length === 1 ? "it" : "them"}.`;
  }
  if (Array.from(name).length > NAME_MAX_LENGTH)
    return `Use at most ${NAME_MAX_LENGTH} characters.`;
  if (!NAME_PATTERN.test(name)) return NAME_RULE;
  const scripts = mixedScripts(name);
  if (scripts.length > 0) {
    return `The name mixes letters of different alphabets that look alike (${scripts.join(" and ")}), which would let it pass for another name. Use one alphabet.`;
  }
  return null;
}

const fields = {
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
};

/** The create form: a new name must follow the rule above. */
export const createFormSchema = z.object({
  name: z.string().check(
    z.trim(),
    z.superRefine((name: string, ctx) => {
      const problem = nameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem, input: name });
    }),
  ),
  ...fields,
});

/**
 * The edit form: the name is read-only and never validated, so a strategy whose stored name
 * the create rule would refuse (`eu relay`, made through the API) stays savable.
 */
export const editFormSchema = z.object({ name: z.string(), ...fields });

// The schema reads exactly what the form holds (model/changes.ts says what that is).
true satisfies z.input<typeof createFormSchema> extends TlsStrategyFormInput
  ? TlsStrategyFormInput extends z.input<typeof createFormSchema>
    ? true
    : false
  : false;
export type TlsStrategyFormOutput = z.output<typeof createFormSchema>;

/** What the form shows for a strategy, or for the defaults when creating. */
export function toFormValues(strategy: StrategyValues | null): TlsStrategyFormInput {
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
