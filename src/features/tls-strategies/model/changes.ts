import { revealHidden } from "../../../components/shown-text";
import type { TlsPolicy } from "../../../jmap/protocol";
import type { TlsStrategy, TlsStrategyProperty } from "../../../stalwart/tls-strategy";
import { formatDuration } from "./duration";
import { FIELDS, POLICY_LABELS } from "./fields";
import { parseDuration } from "./parse-duration";

/**
 * The strategy as its form holds it: every value as typed (durations as text, the
 * description as a string), before the form's schema reads it (form/form-schema.ts, whose
 * input type this is).
 */
export interface TlsStrategyFormInput {
  name: string;
  description: string;
  dane: TlsPolicy;
  mtaSts: TlsPolicy;
  startTls: TlsPolicy;
  allowInvalidCerts: boolean;
  tlsTimeout: string;
  mtaStsTimeout: string;
}

// The one comparison of the page: what a save would send, measured against what the server
// holds, by meaning. The Save button, the unsaved-changes guard, the conflict check and every
// summary of changes use it, so "changed" means the same thing everywhere (README, "Changed
// means changed in meaning").

/** A strategy without its id: what a form starts from and what a create sends. */
export type StrategyValues = Omit<TlsStrategy, "id">;

/** The properties an update may send; `name` is immutable (shared wire reference §5). */
export const EDITABLE = [
  "description",
  "dane",
  "mtaSts",
  "startTls",
  "allowInvalidCerts",
  "tlsTimeout",
  "mtaStsTimeout",
] as const satisfies readonly TlsStrategyProperty[];

export type EditableProperty = (typeof EDITABLE)[number];

/** An `x:MtaTlsStrategy/set` update: only the properties whose meaning changes. */
export type TlsStrategyPatch = Partial<Pick<TlsStrategy, EditableProperty>>;

export interface Comparison {
  /** What a save sends: each property whose meaning differs from the baseline, as wire values. */
  patch: TlsStrategyPatch;
  /** Fields holding text that is not a value yet ("soon" as a duration): typed, not savable. */
  unreadable: EditableProperty[];
  /** On create: a name was typed. Edit never changes the name, so it is never a change there. */
  hasName: boolean;
  /** Anything at all that a save would change, or typed input that would be lost by leaving. */
  hasChanges: boolean;
}

/**
 * Compares the form's text with `baseline` (the stored strategy, or what a create starts
 * from) by meaning: durations as milliseconds ("180s" is 3m), policies as wire values, and
 * the description exactly as stored unless its text was edited. An edited description is
 * trimmed, and empty means null (the server refuses "", shared wire reference §3).
 */
export function compareWithBaseline(
  baseline: StrategyValues,
  input: TlsStrategyFormInput,
  mode: "create" | "edit" = "edit",
): Comparison {
  const patch: TlsStrategyPatch = {};
  const unreadable: EditableProperty[] = [];

  if (input.description !== (baseline.description ?? "")) {
    const trimmed = input.description.trim();
    const description = trimmed === "" ? null : trimmed;
    if (description !== baseline.description) patch.description = description;
  }
  for (const key of ["dane", "mtaSts", "startTls"] as const) {
    if (input[key] !== baseline[key]) patch[key] = input[key];
  }
  if (input.allowInvalidCerts !== baseline.allowInvalidCerts)
    patch.allowInvalidCerts = input.allowInvalidCerts;
  for (const key of ["tlsTimeout", "mtaStsTimeout"] as const) {
    const parsed = parseDuration(input[key]);
    if (!parsed.ok) unreadable.push(key);
    else if (parsed.ms !== baseline[key]) patch[key] = parsed.ms;
  }

  // A stored name may have spaces at its ends (the server takes any name); it is read-only.
  const hasName = mode === "create" && input.name.trim() !== "";
  return {
    patch,
    unreadable,
    hasName,
    hasChanges: hasName || unreadable.length > 0 || Object.keys(patch).length > 0,
  };
}

/** One property that differs between two versions of a strategy. */
export interface Change {
  property: EditableProperty;
  from: unknown;
  to: unknown;
}

/** The editable properties whose values differ from `from` to `to`, in form order. */
export function differences(from: StrategyValues, to: StrategyValues): Change[] {
  return EDITABLE.filter((key) => from[key] !== to[key]).map((property) => ({
    property,
    from: from[property],
    to: to[property],
  }));
}

/** The properties a comparison counts as edited: to be sent, or typed but not readable. */
export function editedProperties(comparison: Comparison): EditableProperty[] {
  return EDITABLE.filter((key) => key in comparison.patch || comparison.unreadable.includes(key));
}

/**
 * Moves a form's baseline onto a newer version from the server: every property takes the
 * newer value, except those the admin edited, which keep the value they were edited against
 * (so a later clash with the newer value is still seen as one).
 */
export function rebase<T extends StrategyValues>(
  baseline: T,
  newer: T,
  edited: readonly EditableProperty[],
): T {
  const next = { ...newer };
  for (const key of edited) (next as StrategyValues)[key] = baseline[key] as never;
  return next;
}

/** Whether two versions of a strategy hold the same values (the name included). */
export function isSameStrategy(a: StrategyValues, b: StrategyValues): boolean {
  return a.name === b.name && differences(a, b).length === 0;
}

/** `values` with `patch` applied: the strategy a save leaves on the server. */
export function applyPatch<T extends StrategyValues>(values: T, patch: TlsStrategyPatch): T {
  return { ...values, ...patch };
}

/** A value as the admin reads it: "Required", "5m", "Yes", "(none)". */
export function displayValue(key: TlsStrategyProperty, value: unknown): string {
  if (value === null || value === "") return "(none)";
  if (key === "dane" || key === "mtaSts" || key === "startTls")
    return POLICY_LABELS[value as TlsStrategy["dane"]];
  if (key === "allowInvalidCerts") return value ? "Yes" : "No";
  if (key === "tlsTimeout" || key === "mtaStsTimeout") return formatDuration(value as number);
  return revealHidden(String(value), key === "name" ? "name" : "text");
}

/** "STARTTLS: Optional → Disabled" */
export function describeChange(change: Change): string {
  return `${FIELDS[change.property].label}: ${displayValue(change.property, change.from)} → ${displayValue(change.property, change.to)}`;
}
