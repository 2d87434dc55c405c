import { type CreateTableBuilder, type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/** Counter tables: name, bucket column and type, key columns, counters. */
const COUNTER_TABLES = [
  [
    'relay_off_filter_hourly',
    'hour',
    [
      ['relay_id', 'integer'],
      ['reason', 'text'],
    ],
    ['copies'],
  ],
  [
    'relay_off_filter_daily',
    'day',
    [
      ['relay_id', 'integer'],
      ['reason', 'text'],
    ],
    ['copies'],
  ],
  ['untimely_events_hourly', 'hour', [['kind', 'integer']], ['late', 'future']],
  ['untimely_events_daily', 'day', [['kind', 'integer']], ['late', 'future']],
  ['deletions_hourly', 'hour', [['kind', 'integer']], ['deletions']],
  ['deletions_daily', 'day', [['kind', 'integer']], ['deletions']],
] as const;

/**
 * Only what was asked for, activity that is now, and NIP-09 deletions. Additive only: collectors of
 * the previous release keep writing during an upgrade (their articles simply carry no latest id).
 * - `relay_off_filter_hourly` / `_daily`: copies a relay sent outside the subscription that
 *   brought them, by reason (`subscription`, `kind`, `since`, `until`).
 * - `untimely_events_hourly` / `_daily`: network-unique events first counted `late` (created_at
 *   over an hour old) or `future`, by kind; they are in no other network count.
 * - `deletions_hourly` / `_daily`: deletions (kind 5) by the kind their `k` tags name (-1: none).
 * - `article_deletions`: an author's deletion of their own article by address, up to a created_at.
 * - `event_deletions`: event ids a key asked to delete (`e` tags that may name articles).
 * - `articles.latest_event_id`: the id of the latest version, which an `e` deletion names.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, bucket, keys, counters] of COUNTER_TABLES) {
    let table: CreateTableBuilder<string, string> = db.schema
      .createTable(name)
      .addColumn(bucket, bucket === 'hour' ? 'timestamptz' : 'date', (c) => c.notNull());
    for (const [key, type] of keys) table = table.addColumn(key, type, (c) => c.notNull());
    for (const counter of counters) {
      table = table.addColumn(counter, 'bigint', (c) => c.notNull().defaultTo(0));
    }
    await table.addPrimaryKeyConstraint(`${name}_pkey`, [bucket, ...keys.map(([key]) => key)]).execute();
  }
  await db.schema
    .createTable('article_deletions')
    .addColumn('pubkey', 'text', (c) => c.notNull())
    .addColumn('d_tag', 'text', (c) => c.notNull())
    .addColumn('deleted_until', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_deletions_pkey', ['pubkey', 'd_tag'])
    .execute();
  await db.schema
    .createTable('event_deletions')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('pubkey', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('event_deletions_pkey', ['event_id', 'pubkey'])
    .execute();
  await db.schema.alterTable('articles').addColumn('latest_event_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').dropColumn('latest_event_id').execute();
  await db.schema.dropTable('event_deletions').ifExists().execute();
  await db.schema.dropTable('article_deletions').ifExists().execute();
  for (const [name] of COUNTER_TABLES) await db.schema.dropTable(name).ifExists().execute();
}
