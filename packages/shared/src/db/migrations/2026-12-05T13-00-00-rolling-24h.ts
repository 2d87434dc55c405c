import { type CreateTableBuilder, type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

const HEALTH = [
  'connected_ms',
  'observed_ms',
  'restricted_ms',
  'connects',
  'disconnects',
  'errors',
  'open_latency_ms_sum',
  'open_latency_count',
  'eose_latency_ms_sum',
  'eose_latency_count',
] as const;

/** 5-minute tables: name, key columns, counters (those of the hourly table of the same name). */
const SLOT_TABLES: readonly [string, readonly [string, 'integer' | 'text'][], readonly string[]][] = [
  [
    'events_aggregated_5m',
    [
      ['relay_id', 'integer'],
      ['kind', 'integer'],
    ],
    ['events', 'invalid', 'duplicates', 'first_corroborated'],
  ],
  ['network_events_5m', [['kind', 'integer']], ['events']],
  ['clients_5m', [['client', 'text']], ['events']],
  ['relay_health_5m', [['relay_id', 'integer']], HEALTH],
  ['zaps_5m', [], ['zaps', 'sats', 'extra_msats', 'flagged', 'invalid_bolt11']],
  ['zap_rejections_5m', [['reason', 'text']], ['receipts', 'sats', 'extra_msats']],
  [
    'relay_off_filter_5m',
    [
      ['relay_id', 'integer'],
      ['reason', 'text'],
    ],
    ['copies'],
  ],
  ['untimely_events_5m', [['kind', 'integer']], ['late', 'future']],
  ['deletions_5m', [['kind', 'integer']], ['deletions']],
];

/** Before any collection: a rollup state that holds no day yet. */
const NOTHING_ROLLED_UP = '1970-01-01';

/**
 * A true rolling 24 hours, and day rows that arrive after their day was rolled up.
 * - `*_5m`: the additive hourly counters again, per 5-minute slot (`bucket`, the slot's start).
 *   The `24h` range reads whole hours from the hourly tables and the partial hour at its old edge
 *   from these. Collectors of the previous release do not write them: for the first day after the
 *   upgrade, that partial hour counts only what the new collectors wrote. The scheduler prunes
 *   rows past two days.
 * - `stats_rollup_state` gets its row now (nothing rolled up), so a collector flush always finds a
 *   row to lock `FOR SHARE` against the scheduler's `FOR UPDATE`, also before the first rollup.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, keys, counters] of SLOT_TABLES) {
    let table: CreateTableBuilder<string, string> = db.schema
      .createTable(name)
      .addColumn('bucket', 'timestamptz', (c) => c.notNull());
    for (const [key, type] of keys) table = table.addColumn(key, type, (c) => c.notNull());
    for (const counter of counters)
      table = table.addColumn(counter, 'bigint', (c) => c.notNull().defaultTo(0));
    await table.addPrimaryKeyConstraint(`${name}_pkey`, ['bucket', ...keys.map(([key]) => key)]).execute();
  }
  await sql`
    insert into stats_rollup_state (name, through_day) values ('all', ${NOTHING_ROLLED_UP}::date)
    on conflict (name) do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    delete from stats_rollup_state where name = 'all' and through_day = ${NOTHING_ROLLED_UP}::date`.execute(
    db,
  );
  for (const [name] of SLOT_TABLES) await db.schema.dropTable(name).ifExists().execute();
}
