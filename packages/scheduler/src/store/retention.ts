import type { Database } from '@nostr-info/shared/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { dayString, truncDay, truncHour } from '../compute/range-window.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Hourly tables whose day rows are written in the same flush, so old hours can simply go. */
const HOURLY_TABLES = [
  'events_aggregated',
  'network_events_hourly',
  'clients_hourly',
  'relay_health_hourly',
  'zaps_hourly',
  'zap_rejections_hourly',
  'user_activity_hourly',
  'user_tiers_hourly',
  'relay_off_filter_hourly',
  'untimely_events_hourly',
  'deletions_hourly',
  'relay_latency_hourly',
] as const;

/**
 * Per-relay day tables: each relay's daily history. `all` still counts what they dropped: the
 * health and event counters were added to the running totals long before (two days after the
 * day), and off-filter copies, which have no totals, are not dropped.
 */
const RELAY_DAY_TABLES = ['relay_health_daily', 'events_aggregated_daily', 'relay_latency_daily'] as const;

/** 5-minute tables: the `24h` window reads a partial hour from them, so two days is plenty. */
const SLOT_TABLES = [
  'events_aggregated_5m',
  'network_events_5m',
  'clients_5m',
  'relay_health_5m',
  'zaps_5m',
  'zap_rejections_5m',
  'relay_off_filter_5m',
  'untimely_events_5m',
  'deletions_5m',
] as const;

/** 5-minute rows are kept this long. */
export const SLOT_RETENTION_DAYS = 2;

/** Per-hour pubkey rows serve the 7d hourly timeline; a day of margin past it. */
export const ACTIVE_USERS_HOURLY_DAYS = 8;
/** Per-day pubkey rows serve the 90d range; `pubkeys` (first/last seen) is all `all` needs. */
export const ACTIVE_USERS_DAILY_DAYS = 91;

/** Retention settings of one run (from the scheduler env). */
export interface RetentionOptions {
  now: Date;
  hourlyRetentionDays: number;
  relayLogRetentionDays: number;
  /** Days of per-relay day rows kept (RELAY_DAILY_RETENTION_DAYS; unset: none dropped). */
  relayDailyRetentionDays?: number;
  /** `scheduler_runs` rows kept. */
  runHistory: number;
}

/** Rows deleted per table. */
export type RetentionResult = Record<string, number>;

/**
 * Drops rows past their retention. Each delete is a range scan on the leading key column (hour,
 * day, at), and a run every few minutes only finds the few rows that aged out since the last one.
 */
export async function applyRetention(
  db: Kysely<Database>,
  { now, hourlyRetentionDays, relayLogRetentionDays, relayDailyRetentionDays, runHistory }: RetentionOptions,
): Promise<RetentionResult> {
  const hourCut = new Date(truncHour(now).getTime() - hourlyRetentionDays * DAY_MS).toISOString();
  const slotCut = new Date(now.getTime() - SLOT_RETENTION_DAYS * DAY_MS).toISOString();
  const activeHourCut = new Date(truncHour(now).getTime() - ACTIVE_USERS_HOURLY_DAYS * DAY_MS).toISOString();
  const activeDayCut = dayString(new Date(truncDay(now).getTime() - ACTIVE_USERS_DAILY_DAYS * DAY_MS));
  const logCut = new Date(now.getTime() - relayLogRetentionDays * DAY_MS).toISOString();
  const result: RetentionResult = {};
  const run = async (name: string, query: RawBuilder<unknown>) => {
    const r = await query.execute(db);
    result[name] = Number(r.numAffectedRows ?? 0);
  };
  for (const table of HOURLY_TABLES) {
    await run(table, sql`delete from ${sql.table(table)} where hour < ${hourCut}::timestamptz`);
  }
  if (relayDailyRetentionDays !== undefined) {
    const dayCut = dayString(new Date(truncDay(now).getTime() - relayDailyRetentionDays * DAY_MS));
    for (const table of RELAY_DAY_TABLES) {
      await run(table, sql`delete from ${sql.table(table)} where day < ${dayCut}::date`);
    }
  }
  for (const table of SLOT_TABLES) {
    await run(table, sql`delete from ${sql.table(table)} where bucket < ${slotCut}::timestamptz`);
  }
  await run(
    'active_users_hourly',
    sql`delete from active_users_hourly where hour < ${activeHourCut}::timestamptz`,
  );
  await run('active_users', sql`delete from active_users where day < ${activeDayCut}::date`);
  await run('relay_logs', sql`delete from relay_logs where at < ${logCut}::timestamptz`);
  // Unverified zap receipts stay counted; past the hourly retention they are no longer checked again.
  await run('zap_unverified', sql`delete from zap_unverified where at < ${hourCut}::timestamptz`);
  await run(
    'scheduler_runs',
    // The newest good run stays whatever follows it: the API falls back to it for its gauges.
    sql`delete from scheduler_runs where id <= (
          select id from scheduler_runs order by id desc offset ${runHistory} limit 1)
          and id is distinct from (select max(id) from scheduler_runs where success)`,
  );
  return result;
}
