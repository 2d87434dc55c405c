import type { Database } from '@nostr-info/shared/db';
import { type Insertable, type Kysely, sql } from 'kysely';
import { chunkRows } from './chunks.js';

type Table = keyof Database & string;
type Column<T extends Table> = keyof Insertable<Database[T]> & string;

/** One additive upsert: `rows` carry exactly the `keys` and `counters` columns of `table`. */
export interface CounterUpsert<T extends Table, K extends Column<T>, C extends Column<T>> {
  table: T;
  /** The conflict target (the table's primary key). */
  keys: readonly K[];
  /** Columns added to the stored value when the key already exists. */
  counters: readonly C[];
  /** Rows with distinct keys, in lock order (see `sumBy`). */
  rows: readonly Required<Pick<Insertable<Database[T]>, K | C>>[];
}

/**
 * Inserts counter rows, adding every counter to the stored row when its key exists
 * (`table.c + excluded.c`). The rows travel as one JSON parameter per statement, read back into the
 * table's own row type (`json_populate_recordset`): no bind parameter and no query-builder node per
 * cell, and the column types come from the table, not from the caller.
 */
export async function addCounters<T extends Table, K extends Column<T>, C extends Column<T>>(
  tx: Kysely<Database>,
  { table, keys, counters, rows }: CounterUpsert<T, K, C>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = sql.join([...keys, ...counters].map((c) => sql.ref(c)));
  const update = sql.join(
    counters.map((c) => sql`${sql.ref(c)} = ${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`),
  );
  const target = sql.join(keys.map((k) => sql.ref(k)));
  // At most 5,000 rows a statement (`chunkRows` with one parameter a row).
  for (const chunk of chunkRows(rows, 1)) {
    await sql`
      insert into ${sql.table(table)} (${columns})
      select ${columns} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(chunk)}::json)
      on conflict (${target}) do update set ${update}`.execute(tx);
  }
}
