import { type CreateTableBuilder, type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

const relayHealthCounters = [
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

/** Creates `<name>` keyed by `bucket` (hour timestamptz or day date) plus `keys`, with bigint counters. */
async function counterTable(
  db: Kysely<any>,
  name: string,
  bucket: 'hour' | 'day',
  keys: [string, 'integer' | 'text' | 'smallint'][],
  counters: readonly string[],
): Promise<void> {
  let table: CreateTableBuilder<string, string> = db.schema
    .createTable(name)
    .addColumn(bucket, bucket === 'hour' ? 'timestamptz' : 'date', (c) => c.notNull());
  for (const [key, type] of keys) table = table.addColumn(key, type, (c) => c.notNull());
  for (const counter of counters) table = table.addColumn(counter, 'bigint', (c) => c.notNull().defaultTo(0));
  await table.addPrimaryKeyConstraint(`${name}_pkey`, [bucket, ...keys.map(([key]) => key)]).execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('relays')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('seed', 'discovered', 'manual')`))
    .addColumn('watched', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('discovered_from', 'text')
    .addColumn('discovery_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('nip11', 'jsonb')
    .addColumn('nip11_fetched_at', 'timestamptz')
    .addColumn('nip11_error', 'text')
    .addColumn('name', 'text')
    .addColumn('description', 'text')
    .addColumn('pubkey', 'text')
    .addColumn('contact', 'text')
    .addColumn('software', 'text')
    .addColumn('version', 'text')
    .addColumn('supported_nips', sql`integer[]`)
    .addColumn('auth_required', 'boolean')
    .addColumn('payment_required', 'boolean')
    .addColumn('restricted_writes', 'boolean')
    .addColumn('max_message_length', 'integer')
    .addColumn('max_subscriptions', 'integer')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('unknown')
        .check(sql`status in ('unknown', 'online', 'offline', 'auth_required', 'error', 'stalled')`),
    )
    .addColumn('status_changed_at', 'timestamptz')
    .addColumn('last_connected_at', 'timestamptz')
    .addColumn('last_disconnected_at', 'timestamptz')
    .addColumn('last_event_at', 'timestamptz')
    .addColumn('last_error_class', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .addColumn('open_latency_ms', 'integer')
    .addColumn('eose_latency_ms', 'integer')
    .addColumn('disconnects', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('relays_watched_idx').on('relays').column('watched').execute();

  await db.schema
    .createTable('relay_logs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('relay_id', 'integer', (c) => c.notNull().references('relays.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('class', 'text')
    .addColumn('message', 'text')
    .execute();
  await db.schema.createIndex('relay_logs_at_idx').on('relay_logs').column('at').execute();
  await db.schema
    .createIndex('relay_logs_relay_at_idx')
    .on('relay_logs')
    .columns(['relay_id', 'at'])
    .execute();

  await counterTable(db, 'relay_health_hourly', 'hour', [['relay_id', 'integer']], relayHealthCounters);
  await counterTable(db, 'relay_health_daily', 'day', [['relay_id', 'integer']], relayHealthCounters);

  const eventCounters = ['events', 'invalid', 'duplicates'];
  await counterTable(
    db,
    'events_aggregated',
    'hour',
    [
      ['relay_id', 'integer'],
      ['kind', 'integer'],
    ],
    eventCounters,
  );
  await counterTable(
    db,
    'events_aggregated_daily',
    'day',
    [
      ['relay_id', 'integer'],
      ['kind', 'integer'],
    ],
    eventCounters,
  );
  // Per-relay lookups over a time range ("this relay in the last 7 days").
  await db.schema
    .createIndex('events_aggregated_relay_hour_idx')
    .on('events_aggregated')
    .columns(['relay_id', 'hour'])
    .execute();

  await counterTable(db, 'network_events_hourly', 'hour', [['kind', 'integer']], ['events']);
  await counterTable(db, 'network_events_daily', 'day', [['kind', 'integer']], ['events']);

  await counterTable(db, 'clients_hourly', 'hour', [['client', 'text']], ['events']);
  await counterTable(db, 'clients', 'day', [['client', 'text']], ['events']);
  await db.schema
    .createTable('client_users')
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('pubkey', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_users_pkey', ['client', 'pubkey'])
    .execute();
  await db.schema
    .createIndex('client_users_client_last_seen_idx')
    .on('client_users')
    .columns(['client', 'last_seen_at'])
    .execute();

  await db.schema
    .createTable('pubkeys')
    .addColumn('pubkey', 'text', (c) => c.primaryKey())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('events', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('pubkeys_first_seen_idx').on('pubkeys').column('first_seen_at').execute();
  await db.schema.createIndex('pubkeys_last_seen_idx').on('pubkeys').column('last_seen_at').execute();

  await db.schema
    .createTable('active_users')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('pubkey', 'text', (c) => c.notNull())
    .addColumn('events', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('active_users_pkey', ['day', 'pubkey'])
    .execute();
  await db.schema
    .createTable('active_users_hourly')
    .addColumn('hour', 'timestamptz', (c) => c.notNull())
    .addColumn('pubkey', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('active_users_hourly_pkey', ['hour', 'pubkey'])
    .execute();
  await counterTable(db, 'user_activity_hourly', 'hour', [], ['active_users', 'new_users']);
  await counterTable(db, 'user_activity_daily', 'day', [], ['active_users', 'new_users']);

  const zapCounters = ['zaps', 'sats', 'flagged', 'invalid_bolt11'];
  await counterTable(db, 'zaps_hourly', 'hour', [], zapCounters);
  await counterTable(db, 'zaps_daily', 'day', [], zapCounters);
  await db.schema
    .createTable('zap_participants')
    .addColumn('pubkey', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('sender', 'receiver')`))
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('zaps', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('sats', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('zap_participants_pkey', ['role', 'pubkey'])
    .execute();
  await db.schema
    .createIndex('zap_participants_role_last_seen_idx')
    .on('zap_participants')
    .columns(['role', 'last_seen_at'])
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('pubkey', 'text', (c) => c.notNull())
    .addColumn('d_tag', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('latest_created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('versions', 'bigint', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('articles_pkey', ['pubkey', 'd_tag'])
    .execute();
  await db.schema.createIndex('articles_first_seen_idx').on('articles').column('first_seen_at').execute();
  await db.schema.createIndex('articles_last_seen_idx').on('articles').column('last_seen_at').execute();

  await db.schema
    .createTable('replaceable_events')
    .addColumn('kind', 'integer', (c) => c.notNull())
    .addColumn('pubkey', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('replaceable_events_pkey', ['kind', 'pubkey'])
    .execute();

  await db.schema
    .createTable('statistics_snapshots')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('range', 'text', (c) => c.notNull().check(sql`range in ('24h', '7d', '30d', '90d', 'all')`))
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('statistics_snapshots_range_computed_idx')
    .on('statistics_snapshots')
    .columns(['range', 'computed_at desc'])
    .execute();

  await db.schema
    .createTable('scheduler_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('success', 'boolean')
    .addColumn('error', 'text')
    .addColumn('ranges', 'jsonb')
    .execute();
  await db.schema
    .createIndex('scheduler_runs_started_idx')
    .on('scheduler_runs')
    .column('started_at')
    .execute();

  await sql`
    create view relay_health_summary as
    select r.id as relay_id, r.url, r.status, r.watched,
      (select case when sum(h.observed_ms) > 0 then sum(h.connected_ms)::float8 / sum(h.observed_ms) end
         from relay_health_hourly h
        where h.relay_id = r.id and h.hour >= date_trunc('hour', now()) - interval '23 hours') as uptime_24h,
      coalesce((select sum(e.events) from events_aggregated e
         where e.relay_id = r.id and e.hour >= date_trunc('hour', now()) - interval '23 hours'), 0)::bigint as events_24h,
      coalesce((select sum(e.invalid) from events_aggregated e
         where e.relay_id = r.id and e.hour >= date_trunc('hour', now()) - interval '23 hours'), 0)::bigint as invalid_24h,
      r.open_latency_ms, r.eose_latency_ms, r.last_event_at
    from relays r
  `.execute(db);

  await sql`
    create view daily_network_stats as
    select d.day,
      coalesce((select sum(n.events) from network_events_daily n where n.day = d.day), 0)::bigint as events,
      coalesce(u.active_users, 0)::bigint as active_users,
      coalesce(u.new_users, 0)::bigint as new_users,
      coalesce(z.zaps, 0)::bigint as zaps,
      coalesce(z.sats, 0)::bigint as sats
    from (select day from network_events_daily union select day from user_activity_daily
          union select day from zaps_daily) d
    left join user_activity_daily u on u.day = d.day
    left join zaps_daily z on z.day = d.day
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop view if exists daily_network_stats`.execute(db);
  await sql`drop view if exists relay_health_summary`.execute(db);
  for (const table of [
    'scheduler_runs',
    'statistics_snapshots',
    'replaceable_events',
    'articles',
    'zap_participants',
    'zaps_daily',
    'zaps_hourly',
    'user_activity_daily',
    'user_activity_hourly',
    'active_users_hourly',
    'active_users',
    'pubkeys',
    'client_users',
    'clients',
    'clients_hourly',
    'network_events_daily',
    'network_events_hourly',
    'events_aggregated_daily',
    'events_aggregated',
    'relay_health_daily',
    'relay_health_hourly',
    'relay_logs',
    'relays',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
