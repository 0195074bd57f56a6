// The arithmetic of the report: medians and spreads of the runs, and how they read.

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
};

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Median, min and max of the runs that have the value; null when none has it. */
export function summarize(values: (number | null)[]): Summary | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return null;
  return {
    median: median(known),
    min: Math.min(...known),
    max: Math.max(...known),
    runs: known.length,
  };
}

/** "412 ms (min 380, max 530, 9 runs)"; `scale` divides every value (bytes → MB). */
export function shown(summary: Summary | null, unit = " ms", { scale = 1, digits = 0 } = {}) {
  if (!summary) return "no run measured it";
  const n = (value: number) => (value / scale).toFixed(digits);
  return `${n(summary.median)}${unit} (min ${n(summary.min)}, max ${n(summary.max)}, ${summary.runs} run${summary.runs === 1 ? "" : "s"})`;
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
/** "assets/tls-strategy-form-rLJK24Xu.js" → "tls-strategy-form.js" */
export const chunkName = (file: string) =>
  file.replace(/^assets\//, "").replace(/-[\w-]{8}\.(js|css)$/, ".$1");
export const strategiesLabel = (count: number) =>
  `${count.toLocaleString("en")} ${count === 1 ? "strategy" : "strategies"}`;
