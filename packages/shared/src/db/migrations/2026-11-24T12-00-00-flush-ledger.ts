import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * The collector's flush ledger: each flush transaction inserts its id, so when the answer to a
 * COMMIT is lost the collector can tell whether the flush landed before writing it again.
 * Rows older than a day are deleted by later flushes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('collector_flushes')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('collector_flushes_at_idx').on('collector_flushes').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('collector_flushes').ifExists().execute();
}
