import type { Kysely } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

const healthCounters = [
  'connected_ms',
  'observed_ms',
  'connects',
  'disconnects',
  'errors',
  'open_latency_ms_sum',
  'open_latency_count',
  'eose_latency_ms_sum',
  'eose_latency_count',
] as const;

/**
 * Running totals of the per-relay and per-client day tables up to a closed day, kept by the
 * scheduler, so the `all` range reads these plus the few days after instead of all of history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stats_rollup_state')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('through_day', 'date', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('events_aggregated_totals')
    .addColumn('relay_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'integer', (c) => c.notNull())
    .addColumn('events', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('invalid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('events_aggregated_totals_pkey', ['relay_id', 'kind'])
    .execute();

  let health = db.schema
    .createTable('relay_health_totals')
    .addColumn('relay_id', 'integer', (c) => c.primaryKey());
  for (const counter of healthCounters)
    health = health.addColumn(counter, 'bigint', (c) => c.notNull().defaultTo(0));
  await health.execute();

  await db.schema
    .createTable('clients_totals')
    .addColumn('client', 'text', (c) => c.primaryKey())
    .addColumn('events', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'clients_totals',
    'relay_health_totals',
    'events_aggregated_totals',
    'stats_rollup_state',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
