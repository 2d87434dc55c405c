import type { Database } from '@nostr-info/shared/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { ACTIVE_USERS_DAILY_DAYS, ACTIVE_USERS_HOURLY_DAYS } from '../src/store/retention.js';

/** Shape of a generated dataset (defaults: the benchmark's target). */
export interface DatasetShape {
  /** Days of history ending at `now`. */
  days: number;
  now: Date;
  relays?: number;
  /** Watched relays (the first ones). */
  watched?: number;
  /** Relays that deliver events: a long tail, relay i weighs 1/i. */
  active?: number;
  /** Watched relays online now. */
  online?: number;
  pubkeys?: number;
  clients?: number;
  /** Days of hourly rows kept (the scheduler's HOURLY_RETENTION_DAYS). */
  hourlyDays?: number;
  /** Share of the keys seen before and after a day that are active on it (`active_users`). */
  dailyActiveShare?: number;
  /**
   * Keys in `trusted_pubkeys`: 90 % of the dataset's pubkeys, the rest keys never seen active (a
   * trust computation scores keys from the whole follow graph, most of which may be quiet).
   */
  trusted?: number;
}

/** Kinds the collector subscribes to, with their share of traffic. */
const KINDS = sql`(values (0, 0.05), (1, 0.40), (3, 0.05), (7, 0.35), (9735, 0.08), (30023, 0.01), (10002, 0.06)) k(kind, w)`;

/**
 * Fills an empty, migrated database with `days` of collector output, set-based (`generate_series`,
 * `insert … select`) so a year takes minutes. Hour tables cover the last `hourlyDays` only, as
 * retention would leave them; day tables and first/last-seen tables cover the whole history.
 */
export async function generateDataset(
  db: Kysely<Database>,
  shape: DatasetShape,
): Promise<Record<string, number>> {
  const {
    days,
    now,
    relays = 1000,
    watched = 600,
    active = 300,
    online = 250,
    pubkeys = 500_000,
    clients = 200,
    hourlyDays = 92,
    dailyActiveShare = 0.25,
    trusted = 0,
  } = shape;
  const hours = Math.min(days, hourlyDays) * 24;
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const hourSeries = sql`generate_series(date_trunc('hour', ${nowSql}) - ${hours - 1}::int * interval '1 hour',
                                         date_trunc('hour', ${nowSql}), interval '1 hour')`;
  const daySeries = sql`generate_series((${nowSql} at time zone 'utc')::date - ${days - 1}::int,
                                        (${nowSql} at time zone 'utc')::date, interval '1 day')`;
  // `history` in days from a random u in [0,1): recent days are denser (the network grows).
  const span = sql`(${days}::int * interval '1 day')`;

  return db.connection().execute(async (conn) => {
    const run = (q: ReturnType<typeof sql>) => q.execute(conn);
    await run(sql`select setseed(0.42)`);
    await run(sql`
      insert into relays (url, source, watched, name, software, version, supported_nips, auth_required,
                          payment_required, status, open_latency_ms, eose_latency_ms, last_connected_at,
                          last_disconnected_at, last_event_at, first_seen_at, held_at)
      select 'wss://relay-' || lpad(i::text, 4, '0') || '.example',
             case when i <= 240 then 'seed' else 'discovered' end, i <= ${watched}::int, 'Relay ' || i,
             (array['strfry', 'nostr-rs-relay', 'khatru', 'nostream'])[1 + i % 4], '1.' || (i % 10),
             array[1, 11, 42], i % 17 = 0, i % 23 = 0,
             case when i <= ${online}::int then 'online'
                  when i <= ${watched}::int then (array['offline', 'error', 'stalled', 'auth_required'])[1 + i % 4]
                  else 'unknown' end,
             case when i <= ${watched}::int then 50 + (i * 37) % 900 end,
             case when i <= ${watched}::int then 80 + (i * 53) % 1500 end,
             case when i <= ${watched}::int then ${nowSql} - (i % 48) * interval '1 hour' end,
             case when i > ${online}::int and i <= ${watched}::int then ${nowSql} - (i % 24) * interval '1 hour' end,
             case when i <= ${active}::int then ${nowSql} - (i % 60) * interval '1 minute' end,
             ${nowSql} - ${span},
             -- Held by a collector that reported a minute ago.
             case when i <= ${watched}::int then ${nowSql} - interval '1 minute' end
        from generate_series(1, ${relays}::int) i`);

    // Per-relay events: the 50 biggest relays carry every kind every hour, the tail thins out as 1/i.
    await run(sql`
      insert into events_aggregated (hour, relay_id, kind, events, invalid, duplicates)
      select h, r, k.kind, greatest(1, (k.w * 20000.0 / r * (0.5 + random()))::bigint),
             case when random() < 0.05 then 1 + (random() * 5)::int else 0 end, 0
        from ${hourSeries} h cross join generate_series(1, ${active}::int) r cross join ${KINDS}
       where r <= 50 or random() < 25.0 / r * least(1, k.w * 10)`);
    await run(sql`
      insert into events_aggregated_daily (day, relay_id, kind, events, invalid, duplicates)
      select d, r, k.kind, greatest(1, (k.w * 480000.0 / r * (0.5 + random()))::bigint),
             case when random() < 0.3 then 1 + (random() * 50)::int else 0 end, 0
        from ${daySeries} d cross join generate_series(1, ${active}::int) r cross join ${KINDS}
       where r <= 150 or random() < 75.0 / r * least(1, k.w * 10)`);
    await run(sql`
      insert into network_events_hourly (hour, kind, events)
      select h, k.kind, (k.w * 60000 * (0.8 + 0.4 * random()))::bigint from ${hourSeries} h cross join ${KINDS}`);
    await run(sql`
      insert into network_events_daily (day, kind, events)
      select d, k.kind, (k.w * 1440000 * (0.8 + 0.4 * random()))::bigint from ${daySeries} d cross join ${KINDS}`);

    // Health: every watched relay is observed every hour; online ones are up nearly all the time.
    await run(sql`
      insert into relay_health_hourly (hour, relay_id, connected_ms, observed_ms, connects, disconnects, errors,
                                       open_latency_ms_sum, open_latency_count, eose_latency_ms_sum, eose_latency_count)
      select h, r, case when r <= ${online}::int then 3600000 - (random() < 0.02)::int * 1800000
                        else (random() * 3600000)::bigint end,
             3600000, 1, (random() < 0.05)::int, (random() < 0.05)::int,
             (50 + (r * 37) % 900) * 2, 2, (80 + (r * 53) % 1500), 1
        from ${hourSeries} h cross join generate_series(1, ${watched}::int) r`);
    await run(sql`
      insert into relay_health_daily (day, relay_id, connected_ms, observed_ms, connects, disconnects, errors,
                                      open_latency_ms_sum, open_latency_count, eose_latency_ms_sum, eose_latency_count)
      select d, r, case when r <= ${online}::int then 86400000 - (random() * 3600000)::bigint
                        else (random() * 86400000)::bigint end,
             86400000, 2, 1, 1, (50 + (r * 37) % 900) * 48, 48, (80 + (r * 53) % 1500) * 24, 24
        from ${daySeries} d cross join generate_series(1, ${watched}::int) r`);

    await run(sql`
      insert into clients_hourly (hour, client, events)
      select h, 'client-' || c, greatest(1, (5000.0 / c * random())::bigint)
        from ${hourSeries} h cross join generate_series(1, ${clients}::int) c where c <= 20 or random() < 10.0 / c`);
    await run(sql`
      insert into clients (day, client, events)
      select d, 'client-' || c, greatest(1, (120000.0 / c * random())::bigint)
        from ${daySeries} d cross join generate_series(1, ${clients}::int) c where c <= 100 or random() < 100.0 / c`);

    // Pubkeys: first seen anywhere in the history, last seen skewed towards now.
    await run(sql`
      insert into pubkeys (pubkey, first_seen_at, last_seen_at, events)
      select pk, f, ${nowSql} - (${nowSql} - f) * power(random(), 3), 1 + (random() * 500)::int
        from (select md5(i::text) || md5((i + 1)::text) as pk, ${nowSql} - ${span} * random() as f
                from generate_series(1, ${pubkeys}::int) i) p`);
    await run(sql`
      insert into client_users (client, pubkey, first_seen_at, last_seen_at)
      select 'client-' || (1 + floor(100 * power(random(), 3)))::int, pubkey, first_seen_at, last_seen_at
        from pubkeys where random() < 0.6
      union all
      select 'client-' || (101 + floor(100 * power(random(), 3)))::int, pubkey, first_seen_at, last_seen_at
        from pubkeys where random() < 0.1`);
    await run(sql`
      insert into user_activity_hourly (hour, active_users, new_users)
      select h, 20000 + (random() * 5000)::int, 500 + (random() * 200)::int from ${hourSeries} h`);
    await run(sql`
      insert into user_activity_daily (day, active_users, new_users)
      select d, 120000 + (random() * 20000)::int, 5000 + (random() * 2000)::int from ${daySeries} d`);
    await insertActiveUsers(run, { now, days, share: dailyActiveShare });
    await run(sql`
      insert into zaps_hourly (hour, zaps, sats, flagged, invalid_bolt11)
      select h, 2000 + (random() * 500)::int, 2000000 + (random() * 500000)::int, (random() * 3)::int, 0
        from ${hourSeries} h`);
    await run(sql`
      insert into zaps_daily (day, zaps, sats, flagged, invalid_bolt11)
      select d, 48000 + (random() * 5000)::int, 48000000 + (random() * 5000000)::int, (random() * 50)::int, 0
        from ${daySeries} d`);
    await run(sql`
      insert into zap_participants (pubkey, role, first_seen_at, last_seen_at, zaps, sats)
      select pubkey, 'sender', first_seen_at, last_seen_at, 1 + (random() * 50)::int, 1000
        from pubkeys where random() < 0.12
      union all
      select pubkey, 'receiver', first_seen_at, last_seen_at, 1 + (random() * 50)::int, 1000
        from pubkeys where random() < 0.08`);
    // Tiers: a profile (kind 0) for half of the keys, a follow list (kind 3) for 40 % of them, both
    // for those 40 %.
    await run(sql`
      insert into replaceable_events (kind, pubkey, event_id, created_at)
      select k.kind, pubkey, md5(pubkey || k.kind) || md5(pubkey), last_seen_at
        from pubkeys cross join (values (0, 50), (3, 40)) k(kind, share)
       where abs(hashtext(pubkey)) % 100 < k.share`);
    if (trusted > 0)
      await run(sql`
        insert into trusted_pubkeys (pubkey, score, computed_at)
        select pubkey, 1e-6, ${nowSql} from (
          select pubkey from pubkeys where abs(hashtext(pubkey || 't')) % 10 < 9 limit ${trusted}::int) p
        union all
        select md5('quiet' || i) || md5(i::text), 1e-6, ${nowSql}
          from generate_series(1, greatest(0, ${trusted}::int - (
            select count(*) from pubkeys where abs(hashtext(pubkey || 't')) % 10 < 9)::int)) i`);
    await run(sql`
      insert into articles (pubkey, d_tag, first_seen_at, last_seen_at, latest_created_at, versions)
      select pubkey, 'post-' || n, first_seen_at, last_seen_at, last_seen_at, 1 + n
        from pubkeys cross join generate_series(1, 2) n where random() < 0.08`);

    // The 5-minute tables the collectors keep for two days: each hour row spread over its slots.
    for (const [slots, hourly, columns] of [
      ['events_aggregated_5m', 'events_aggregated', ['relay_id', 'kind', 'events', 'invalid', 'duplicates']],
      ['network_events_5m', 'network_events_hourly', ['kind', 'events']],
      ['clients_5m', 'clients_hourly', ['client', 'events']],
      [
        'relay_health_5m',
        'relay_health_hourly',
        ['relay_id', 'connected_ms', 'observed_ms', 'open_latency_ms_sum', 'open_latency_count'],
      ],
      ['zaps_5m', 'zaps_hourly', ['zaps', 'sats', 'flagged']],
    ] as const) {
      const keys = new Set(['relay_id', 'kind', 'client']);
      const cols = sql.join(columns.map((c) => sql.ref(c)));
      const values = sql.join(columns.map((c) => (keys.has(c) ? sql.ref(c) : sql`${sql.ref(c)} / 12`)));
      await run(sql`
        insert into ${sql.table(slots)} (bucket, ${cols})
        select hour + s * interval '5 minutes', ${values}
          from ${sql.table(hourly)} cross join generate_series(0, 11) s
         where hour >= ${nowSql} - interval '2 days'`);
    }

    await run(sql`vacuum analyze`);
    const { rows } = await sql<{ table: string; n: number }>`
      select relname as table, n_live_tup::bigint as n from pg_stat_user_tables
       where schemaname = 'public' and n_live_tup > 0 order by relname`.execute(conn);
    return Object.fromEntries(rows.map((r) => [r.table, r.n]));
  });
}

type Run = (q: RawBuilder<unknown>) => Promise<unknown>;

/**
 * Who was active per bucket, as retention leaves it (`active_users` for 91 days,
 * `active_users_hourly` for 8), and the `user_activity_*` counts made to agree with the rows. A key
 * is active on a day between its first and last sighting with probability `share`; an active key
 * is active in one hour of that day (chosen by its hash) and in each other hour with probability
 * 1/8, so hour rows are a subset of day rows. New users of a bucket are the keys first seen in it.
 */
async function insertActiveUsers(
  run: Run,
  { now, days, share }: { now: Date; days: number; share: number },
): Promise<void> {
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const today = sql`(${nowSql} at time zone 'utc')::date`;
  const dayStart = (d: RawBuilder<unknown>) => sql`(${d}::timestamp at time zone 'utc')`;
  const activeDays = Math.min(days, ACTIVE_USERS_DAILY_DAYS);
  const activeHours = Math.min(days, ACTIVE_USERS_HOURLY_DAYS) * 24;
  await run(sql`
    insert into active_users (day, pubkey, events)
    select d.day, p.pubkey, 1 + (random() * 20)::int
      from (select ${today} - k as day from generate_series(0, ${activeDays - 1}::int) k) d
      join pubkeys p on p.first_seen_at < ${dayStart(sql`d.day`)} + interval '1 day'
                    and p.last_seen_at >= ${dayStart(sql`d.day`)}
     where random() < ${share}::float8`);
  // Today's hours stop at the current one.
  const hoursOf = sql`(case when a.day = ${today}
                            then extract(hour from ${nowSql} at time zone 'utc')::int + 1 else 24 end)`;
  const firstHour = sql`date_trunc('hour', ${nowSql}) - ${activeHours - 1}::int * interval '1 hour'`;
  await run(sql`
    insert into active_users_hourly (hour, pubkey)
    select x.hour, x.pubkey
      from (select ${dayStart(sql`a.day`)} + h * interval '1 hour' as hour, a.pubkey,
                   h = (hashtext(a.pubkey)::bigint & 2147483647) % ${hoursOf} as own_hour
              from active_users a cross join generate_series(0, 23) h
             where a.day >= ${today} - ${Math.ceil(activeHours / 24)}::int and h < ${hoursOf}) x
     where x.hour >= ${firstHour} and (x.own_hour or random() < 0.125)`);
  await run(sql`
    update user_activity_daily u set new_users = coalesce(f.n, 0)
      from (select day from user_activity_daily) d
      left join (select (first_seen_at at time zone 'utc')::date as day, count(*) as n
                   from pubkeys group by 1) f using (day)
     where u.day = d.day`);
  await run(sql`
    update user_activity_daily u set active_users = a.n
      from (select day, count(*) as n from active_users group by day) a
     where u.day = a.day`);
  await run(sql`
    update user_activity_hourly u
       set active_users = case when u.hour >= ${firstHour} then coalesce(a.n, 0) else u.active_users end,
           new_users = coalesce(f.n, 0)
      from (select hour from user_activity_hourly) h
      left join (select hour, count(*) as n from active_users_hourly group by hour) a using (hour)
      left join (select date_bin('1 hour', first_seen_at, timestamptz '2000-01-01T00:00:00Z') as hour,
                        count(*) as n
                   from pubkeys group by 1) f using (hour)
     where u.hour = h.hour`);
}
