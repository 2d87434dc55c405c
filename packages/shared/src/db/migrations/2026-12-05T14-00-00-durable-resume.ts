import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * Crash-consistent collection: what a collector has counted, and where each relay's stream stands,
 * committed in the same transaction as the counts, so any restart resumes from durable state.
 * - `collector_instances`: one row per collector process (its random token), with a heartbeat and
 *   a fence. A fenced instance's flushes are refused, so a holder taken for dead never merges a
 *   late flush.
 * - `relay_resume`: per relay, when it was last heard from as of the last committed flush, the
 *   oldest created_at its credited ids cover, and the instance that wrote it.
 * - `relay_credited`: the ids credited to a relay, one packed row per relay and flush
 *   (12 bytes an id: the id's first 64 bits and its created_at), pruned past the durable window.
 * - `counted_events`: ids counted network-wide (current, late or future), keyed by the id's first
 *   64 bits (as `RelaySeen` keeps them), pruned past the durable window by a periodic scan (an
 *   index on the horizon would slow every insert for a delete that runs every few minutes); a
 *   flush inserting an id already there learns the event was counted before and leaves it out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('collector_instances')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('beat_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('fenced_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('relay_resume')
    .addColumn('relay_id', 'integer', (c) => c.primaryKey().references('relays.id').onDelete('cascade'))
    .addColumn('heard_sec', 'bigint', (c) => c.notNull())
    .addColumn('floor_sec', 'bigint', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('relay_credited')
    .addColumn('relay_id', 'integer', (c) => c.notNull().references('relays.id').onDelete('cascade'))
    .addColumn('horizon_sec', 'bigint', (c) => c.notNull())
    .addColumn('ids', 'bytea', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('relay_credited_relay_idx')
    .on('relay_credited')
    .columns(['relay_id', 'horizon_sec'])
    .execute();
  await db.schema
    .createIndex('relay_credited_horizon_idx')
    .on('relay_credited')
    .column('horizon_sec')
    .execute();
  await db.schema
    .createTable('counted_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('horizon_sec', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['counted_events', 'relay_credited', 'relay_resume', 'collector_instances']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
