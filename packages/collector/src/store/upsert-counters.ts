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
 * (`table.c + excluded.c`), in as many statements as the bind-parameter limit requires.
 */
export async function addCounters<T extends Table, K extends Column<T>, C extends Column<T>>(
  tx: Kysely<Database>,
  { table, keys, counters, rows }: CounterUpsert<T, K, C>,
): Promise<void> {
  // Kysely cannot resolve insert/update shapes for a generic table name, so this one statement
  // is built against a loose schema; the interface above checks the columns at each call site.
  const db = tx as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const name: string = table;
  const update = Object.fromEntries(
    counters.map((c) => [c, sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`]),
  );
  for (const chunk of chunkRows(rows, keys.length + counters.length)) {
    await db
      .insertInto(name)
      .values(chunk)
      .onConflict((oc) => oc.columns(keys).doUpdateSet(update))
      .execute();
  }
}
