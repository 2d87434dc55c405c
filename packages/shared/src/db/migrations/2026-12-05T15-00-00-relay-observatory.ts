import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/** Per-relay tables read by relay and time for a relay's history: index name, table, bucket column. */
const PER_RELAY_INDEXES = [
  ['relay_health_hourly_relay_hour_idx', 'relay_health_hourly', 'hour'],
  ['relay_health_daily_relay_day_idx', 'relay_health_daily', 'day'],
  ['events_aggregated_daily_relay_day_idx', 'events_aggregated_daily', 'day'],
  ['relay_off_filter_hourly_relay_hour_idx', 'relay_off_filter_hourly', 'hour'],
  ['relay_off_filter_daily_relay_day_idx', 'relay_off_filter_daily', 'day'],
] as const;

/**
 * The relay observatory. Additive only: collectors of the previous release keep writing during an
 * upgrade (they simply record no latency histograms and no NIP-11 changes).
 * - `relay_latency_hourly` / `_daily`: how many open (connect → socket open) and REQ → EOSE
 *   latencies of a relay fell into each fixed bucket (`le_ms`: the bucket's upper bound in ms), so
 *   percentiles of any bucket range can be read. Only buckets that got a sample have a row.
 * - `relay_nip11_changes`: one row per tracked NIP-11 field (name, software, version,
 *   supported_nips, limitation, fees) whose value changed between two fetches of the document,
 *   with both values and when the change was seen.
 * - indexes by (relay, time) on the per-relay counter tables that lacked one, for reading one
 *   relay's history without scanning every relay's rows of the window.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, bucket] of [
    ['relay_latency_hourly', 'hour'],
    ['relay_latency_daily', 'day'],
  ] as const) {
    await db.schema
      .createTable(name)
      .addColumn(bucket, bucket === 'hour' ? 'timestamptz' : 'date', (c) => c.notNull())
      .addColumn('relay_id', 'integer', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull().check(sql`phase in ('open', 'eose')`))
      .addColumn('le_ms', 'integer', (c) => c.notNull())
      .addColumn('samples', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint(`${name}_pkey`, [bucket, 'relay_id', 'phase', 'le_ms'])
      .execute();
    await db.schema
      .createIndex(`${name}_relay_${bucket}_idx`)
      .on(name)
      .columns(['relay_id', bucket])
      .execute();
  }

  await db.schema
    .createTable('relay_nip11_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('relay_id', 'integer', (c) => c.notNull().references('relays.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'jsonb')
    .addColumn('new_value', 'jsonb')
    .execute();
  await db.schema
    .createIndex('relay_nip11_changes_relay_at_idx')
    .on('relay_nip11_changes')
    .columns(['relay_id', 'at', 'id'])
    .execute();

  for (const [index, table, bucket] of PER_RELAY_INDEXES) {
    await db.schema.createIndex(index).on(table).columns(['relay_id', bucket]).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [index] of PER_RELAY_INDEXES) await db.schema.dropIndex(index).ifExists().execute();
  for (const name of ['relay_nip11_changes', 'relay_latency_daily', 'relay_latency_hourly']) {
    await db.schema.dropTable(name).ifExists().execute();
  }
}
