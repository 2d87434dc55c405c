/** Postgres accepts at most 65,535 bind parameters per statement. */
export const MAX_PARAMS = 65_535;

/** Splits `rows` so a multi-row statement with `columns` parameters per row stays under the limit. */
export function chunkRows<T>(rows: readonly T[], columns: number, maxRows = 5000): T[][] {
  const size = Math.max(1, Math.min(maxRows, Math.floor((MAX_PARAMS - 1) / columns)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
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
