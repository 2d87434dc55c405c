/** Rounds to `digits` decimals (figures in snapshots carry at most two). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `part` as a percentage of `whole`, two decimals, clamped to 0–100; 0 when `whole` is 0. */
export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.min(100, Math.max(0, round((part / whole) * 100)));
}

/**
 * Nearest-rank percentile (the smallest value with at least `p`% of values at or below it), so
 * every reported figure is one relay's actual latency. Null for no values.
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** Mean of `values`, one decimal; null for none. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return round(values.reduce((a, b) => a + b, 0) / values.length, 1);
}
