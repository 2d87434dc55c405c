import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

const TABLES = ['zaps_hourly', 'zaps_daily', 'zap_participants'] as const;

/** `daily_network_stats` as the initial schema made it, with the day's sats given. */
function dailyNetworkStats(sats: ReturnType<typeof sql>) {
  return sql`
    create or replace view daily_network_stats as
    select d.day,
      coalesce((select sum(n.events) from network_events_daily n where n.day = d.day), 0)::bigint as events,
      coalesce(u.active_users, 0)::bigint as active_users,
      coalesce(u.new_users, 0)::bigint as new_users,
      coalesce(z.zaps, 0)::bigint as zaps,
      coalesce(${sats}, 0)::bigint as sats
    from (select day from network_events_daily union select day from user_activity_daily
          union select day from zaps_daily) d
    left join user_activity_daily u on u.day = d.day
    left join zaps_daily z on z.day = d.day
  `;
}

/**
 * Zap amounts to the millisatoshi. `sats` keeps the whole sats of each receipt (what collectors
 * before this migration write); `extra_msats` adds the millisatoshis each receipt carried beyond
 * them (0–999 a receipt), so a row's total is `sats * 1000 + extra_msats`. Additive only: a
 * collector of the previous release keeps writing its rows during an upgrade, its receipts simply
 * without the sub-sat part, as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema
      .alterTable(table)
      .addColumn('extra_msats', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await dailyNetworkStats(sql`z.sats + z.extra_msats / 1000`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dailyNetworkStats(sql`z.sats`).execute(db);
  for (const table of TABLES) {
    await db.schema.alterTable(table).dropColumn('extra_msats').execute();
  }
}
