import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * Relay outages: one row per confirmed outage (not serving past the grace, see the collector's
 * `OutageTracker`), keyed by relay and start so a re-written flush lands on the same row.
 * `ended_at` is null while the outage lasts; `cause` is its cause class and `detail` the errno,
 * HTTP status or close code behind it. Additive: collectors of the previous release write none.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('relay_outages')
    .addColumn('relay_id', 'integer', (c) => c.notNull().references('relays.id').onDelete('cascade'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('relay_outages_pkey', ['relay_id', 'started_at'])
    .addCheckConstraint('relay_outages_ends_after_start', sql`ended_at is null or ended_at >= started_at`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('relay_outages').ifExists().execute();
}
