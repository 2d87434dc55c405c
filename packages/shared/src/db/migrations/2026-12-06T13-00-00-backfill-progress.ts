import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * History backfill (`nostr-info backfill`), so first-seen dates need not wait for collection.
 * - `backfill_progress`: per relay, how far back its history of kinds 0, 3 and 10002 has been
 *   read. Everything from `reached_at` up to when the relay was first asked is fetched; `since` is
 *   the bound that run asked for. Written in the same transaction as each page's rows, so a rerun
 *   continues exactly where the last committed page stopped.
 * - `backfill_runs`: one row per run; `complete` when every relay it selected reached `since`.
 *   The scheduler trusts first-seen dates from the earliest `since` of a complete run on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('backfill_progress')
    .addColumn('relay_url', 'text', (c) => c.primaryKey())
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addColumn('reached_at', 'timestamptz')
    .addColumn('done', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('truncated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('events', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('backfill_runs')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('relays', 'integer', (c) => c.notNull())
    .addColumn('relays_done', 'integer', (c) => c.notNull())
    .addColumn('complete', 'boolean', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('backfill_runs').execute();
  await db.schema.dropTable('backfill_progress').execute();
}
