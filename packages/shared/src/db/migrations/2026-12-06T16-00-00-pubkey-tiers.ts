import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/**
 * User tiers kept on each pubkey row, so a statistics run counts them in its pass over `pubkeys`
 * instead of joining a million keys against profiles and trusted keys every five minutes.
 * - `pubkeys.profiled`, `pubkeys.trusted`: the key's tiers as of the last refresh (the scheduler,
 *   with each trust computation's cadence); null until a refresh has seen the row, and a statistics
 *   run works such rows out itself.
 * - `pubkeys_tiers_unknown_idx`: finds those rows.
 * - `user_tier_refreshes`: when each refresh ran, so the scheduler knows when the next is due.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('pubkeys').addColumn('profiled', 'boolean').execute();
  await db.schema.alterTable('pubkeys').addColumn('trusted', 'boolean').execute();
  await sql`create index pubkeys_tiers_unknown_idx on pubkeys (pubkey) where profiled is null`.execute(db);
  await db.schema
    .createTable('user_tier_refreshes')
    .addColumn('refreshed_at', 'timestamptz', (c) => c.primaryKey())
    .addColumn('changed', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_tier_refreshes').execute();
  await db.schema.dropIndex('pubkeys_tiers_unknown_idx').execute();
  await db.schema.alterTable('pubkeys').dropColumn('trusted').execute();
  await db.schema.alterTable('pubkeys').dropColumn('profiled').execute();
}
