/** Samples per bucket upper bound (ms): one relay's latencies of one phase over some buckets of time. */
export type Histogram = Map<number, number>;

/** Adds `from` into `into`. */
export function mergeHistogram(into: Histogram, from: Histogram): void {
  for (const [bound, n] of from) into.set(bound, (into.get(bound) ?? 0) + n);
}

/**
 * Nearest-rank percentile over a histogram: the upper bound of the bucket that holds the sample of
 * rank ⌈p/100 · n⌉ (at least p % of the samples are at or below it, and the true value is within
 * that bucket). Null for no samples.
 */
export function histogramPercentile(histogram: Histogram, p: number): number | null {
  let total = 0;
  for (const n of histogram.values()) total += n;
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const bound of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bound) ?? 0;
    if (seen >= rank) return bound;
  }
  return null;
}
