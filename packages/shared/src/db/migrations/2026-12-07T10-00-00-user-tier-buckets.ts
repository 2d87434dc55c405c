import type { Kysely } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * Per-bucket user tiers for the activity timeline, counted by the hourly tier refresh so a
 * statistics run does not join every active key of 90 days with `pubkeys` every five minutes.
 * - `user_tiers_hourly`, `user_tiers_daily`: for each hour and day, the active keys (from
 *   `active_users_hourly`, `active_users`) and new keys (first seen in it) that are profiled and
 *   trusted, as of the refresh that wrote the row.
 * - `user_tier_refreshes.hours_through`, `.days_through`: the buckets before these are in the
 *   tables above; a statistics run counts the later ones itself. Null: none stored yet.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column, type] of [
    ['user_tiers_hourly', 'hour', 'timestamptz'],
    ['user_tiers_daily', 'day', 'date'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn(column, type, (c) => c.primaryKey())
      .addColumn('active_profiled', 'integer', (c) => c.notNull())
      .addColumn('active_trusted', 'integer', (c) => c.notNull())
      .addColumn('new_profiled', 'integer', (c) => c.notNull())
      .addColumn('new_trusted', 'integer', (c) => c.notNull())
      .execute();
  }
  await db.schema.alterTable('user_tier_refreshes').addColumn('hours_through', 'timestamptz').execute();
  await db.schema.alterTable('user_tier_refreshes').addColumn('days_through', 'date').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_tier_refreshes').dropColumn('days_through').execute();
  await db.schema.alterTable('user_tier_refreshes').dropColumn('hours_through').execute();
  await db.schema.dropTable('user_tiers_daily').execute();
  await db.schema.dropTable('user_tiers_hourly').execute();
}
