// Durations travel as integer milliseconds (shared wire reference §3, §9); people write
// "5m", "90s" or "1h 30m". This module writes them (the list's cells need nothing more);
// parse-duration.ts reads them, and loads with the forms, not with the list.

/** The units people write, largest first. */
export const UNITS = [
  { unit: "d", ms: 86_400_000, singular: "day", plural: "days" },
  { unit: "h", ms: 3_600_000, singular: "hour", plural: "hours" },
  { unit: "m", ms: 60_000, singular: "minute", plural: "minutes" },
  { unit: "s", ms: 1_000, singular: "second", plural: "seconds" },
  { unit: "ms", ms: 1, singular: "millisecond", plural: "milliseconds" },
] as const;

/** `ms` as whole counts of each unit, largest first; zero counts left out. */
export function parts(ms: number): { unit: (typeof UNITS)[number]; count: number }[] {
  const result: { unit: (typeof UNITS)[number]; count: number }[] = [];
  let rest = ms;
  for (const unit of UNITS) {
    const count = Math.floor(rest / unit.ms);
    if (count > 0) result.push({ unit, count });
    rest -= count * unit.ms;
  }
  return result;
}

/** 90000 → "1m 30s", 5400000 → "1h 30m", 500 → "500ms". Round-trips through parseDuration (parse-duration.ts). */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms <= 0) return String(ms);
  return parts(ms)
    .map(({ unit, count }) => `${count}${unit.unit}`)
    .join(" ");
}
