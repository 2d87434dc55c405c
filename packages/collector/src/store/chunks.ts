/** Postgres accepts at most 65,535 bind parameters per statement. */
export const MAX_PARAMS = 65_535;

/** Splits `rows` so a multi-row statement with `columns` parameters per row stays under the limit. */
export function chunkRows<T>(rows: readonly T[], columns: number, maxRows = 5000): T[][] {
  const size = Math.max(1, Math.min(maxRows, Math.floor((MAX_PARAMS - 1) / columns)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/**
 * Splits `rows`, in order, so a statement carries at most `maxRows` rows and stops taking rows
 * once their weight (bytes, say) reaches `maxWeight`: the driver copies every parameter into one
 * message buffer, which would otherwise grow to the whole batch at once. A row is never split, so a
 * chunk may pass `maxWeight` by its last row.
 */
export function chunkByWeight<T>(
  rows: readonly T[],
  weightOf: (row: T) => number,
  maxWeight: number,
  maxRows: number,
): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let weight = 0;
  for (const row of rows) {
    if (chunk.length >= maxRows || (chunk.length > 0 && weight >= maxWeight)) {
      chunks.push(chunk);
      chunk = [];
      weight = 0;
    }
    chunk.push(row);
    weight += weightOf(row);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** Sums rows sharing a key, so one statement never carries one conflict key twice. */
export function sumBy<T>(rows: Iterable<T>, keyOf: (row: T) => string, add: (into: T, from: T) => void): T[] {
  const out = new Map<string, T>();
  for (const row of rows) {
    const key = keyOf(row);
    const current = out.get(key);
    if (current) add(current, row);
    else out.set(key, { ...row });
  }
  // Sorted keys give every writer the same lock order, which avoids deadlocks between replicas.
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** Increments `counts[key]`. */
export function bump(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}
