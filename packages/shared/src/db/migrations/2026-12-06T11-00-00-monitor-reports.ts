import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * Other NIP-66 monitors' reports: the latest kind 30166 event of each (monitor pubkey, relay URL)
 * the collectors received, replaced only by a newer one (newest created_at, ties to the lowest id).
 * The relay detail counts the monitors that reported a relay recently and whether they agree with
 * its status here. Indexed by relay, the way it is read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitor_reports')
    .addColumn('monitor_pubkey', 'text', (c) => c.notNull())
    .addColumn('relay_url', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addColumn('rtt_open_ms', 'integer')
    .addColumn('rtt_read_ms', 'integer')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('monitor_reports_pkey', ['relay_url', 'monitor_pubkey'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('monitor_reports').execute();
}
