import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * The follow graph and the web of trust computed from it.
 * - `pubkey_ids`: a dictionary from pubkey to a 4-byte id. A follow list stores ids, not 64-character
 *   keys: 50 M edges take about 200 MB as integers, against several GB as text rows with an index.
 * - `follow_lists`: each pubkey's latest follow list (kind 3 `p` tags), one row per follower with
 *   its followees' ids sorted. Replaced only by a newer list (newest created_at, ties to the lowest
 *   id), as `replaceable_events` is.
 * - `trusted_pubkeys`: the keys the last trust computation found trusted, with their score. The
 *   statistics run joins against it; it is replaced whole by each trust computation.
 * - `trust_runs`: one row per trust computation (when, under which methodology, what it saw), so
 *   the scheduler knows when the next one is due and a snapshot can say which one it used.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pubkey_ids')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('pubkey', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createTable('follow_lists')
    .addColumn('follower_id', 'integer', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('followees', sql`integer[]`, (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('trusted_pubkeys')
    .addColumn('pubkey', 'text', (c) => c.primaryKey())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('trust_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('methodology_version', 'text', (c) => c.notNull())
    .addColumn('seeds', 'integer', (c) => c.notNull())
    .addColumn('lists', 'integer', (c) => c.notNull())
    .addColumn('edges', 'bigint', (c) => c.notNull())
    .addColumn('trusted', 'integer', (c) => c.notNull())
    .addColumn('iterations', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trust_runs_computed_at_idx').on('trust_runs').column('computed_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('trust_runs').execute();
  await db.schema.dropTable('trusted_pubkeys').execute();
  await db.schema.dropTable('follow_lists').execute();
  await db.schema.dropTable('pubkey_ids').execute();
}
