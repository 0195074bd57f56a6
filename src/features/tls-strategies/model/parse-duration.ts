import { parts, UNITS } from "./duration";

// Reading what an admin typed as a duration, strictly, and saying back what it means: the
// forms' half of duration.ts, in a module of its own so that the list's first download does not
// carry it (a module shared by the list and a form travels whole with the list).

type Unit = (typeof UNITS)[number]["unit"];

export const DURATION_HINT = "Use a number with a unit: 500ms, 90s, 5m, 1h, 1h30m or 2d.";

export type DurationParseResult = { ok: true; ms: number } | { ok: false; message: string };

const PART = /(\d+)\s*(ms|s|m|h|d)/y;

/**
 * Parses "500ms", "90s", "5m", "1h30m", "1h 30m", "2d" (case-insensitive, spaces allowed).
 * Units must appear at most once, largest first. Bare numbers are refused on purpose: the
 * server's own parser reads them as milliseconds, which is never what an admin means by "5".
 */
export function parseDuration(input: string): DurationParseResult {
  const text = input.trim().toLowerCase();
  if (text === "") return { ok: false, message: `Enter a duration. ${DURATION_HINT}` };
  if (text.startsWith("-"))
    return { ok: false, message: `A duration must be positive. ${DURATION_HINT}` };
  if (/^\d+$/.test(text)) {
    return { ok: false, message: `Add a unit to “${input.trim()}”. ${DURATION_HINT}` };
  }
  if (/\d[.,]\d/.test(text)) {
    return { ok: false, message: `Use whole numbers only. ${DURATION_HINT}` };
  }

  let total = 0;
  let lastRank = -1;
  PART.lastIndex = 0;
  let index = 0;
  while (index < text.length) {
    PART.lastIndex = index;
    const match = PART.exec(text);
    if (!match)
      return { ok: false, message: `“${input.trim()}” is not a duration. ${DURATION_HINT}` };
    const rank = UNITS.findIndex((u) => u.unit === (match[2] as Unit));
    if (rank <= lastRank) {
      return {
        ok: false,
        message: `Write each unit once, largest first (like 1h30m). ${DURATION_HINT}`,
      };
    }
    lastRank = rank;
    total += Number(match[1]) * (UNITS[rank]?.ms ?? 1);
    index = PART.lastIndex;
    while (text[index] === " ") index += 1;
  }
  if (total === 0)
    return { ok: false, message: `A duration must be longer than zero. ${DURATION_HINT}` };
  if (!Number.isSafeInteger(total)) return { ok: false, message: "That duration is too long." };
  return { ok: true, ms: total };
}

/** 90000 → "1 minute 30 seconds": the parsed value read back to the user. */
export function describeDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms <= 0) return String(ms);
  return parts(ms)
    .map(
      ({ unit, count }) =>
        `${count.toLocaleString("en")} ${count === 1 ? unit.singular : unit.plural}`,
    )
    .join(" ");
}
