// Durations travel as integer milliseconds (shared wire reference §3, §9); people write
// "5m", "90s" or "1h 30m". This module converts between the two, strictly.

const UNITS = [
  { unit: "d", ms: 86_400_000, singular: "day", plural: "days" },
  { unit: "h", ms: 3_600_000, singular: "hour", plural: "hours" },
  { unit: "m", ms: 60_000, singular: "minute", plural: "minutes" },
  { unit: "s", ms: 1_000, singular: "second", plural: "seconds" },
  { unit: "ms", ms: 1, singular: "millisecond", plural: "milliseconds" },
] as const;

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

function parts(ms: number): { unit: (typeof UNITS)[number]; count: number }[] {
  const result: { unit: (typeof UNITS)[number]; count: number }[] = [];
  let rest = ms;
  for (const unit of UNITS) {
    const count = Math.floor(rest / unit.ms);
    if (count > 0) result.push({ unit, count });
    rest -= count * unit.ms;
  }
  return result;
}

/** 90000 → "1m 30s", 5400000 → "1h 30m", 500 → "500ms". Round-trips through parseDuration. */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms <= 0) return String(ms);
  return parts(ms)
    .map(({ unit, count }) => `${count}${unit.unit}`)
    .join(" ");
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
