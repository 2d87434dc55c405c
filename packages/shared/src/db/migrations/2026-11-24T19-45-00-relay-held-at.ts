import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

/** `relay_health_summary` as the initial schema made it, with `status` given. */
function healthSummary(status: ReturnType<typeof sql>) {
  return sql`
    create or replace view relay_health_summary as
    select r.id as relay_id, r.url, ${status} as status, r.watched,
      (select case when sum(h.observed_ms) > 0 then sum(h.connected_ms)::float8 / sum(h.observed_ms) end
         from relay_health_hourly h
        where h.relay_id = r.id and h.hour >= date_trunc('hour', now()) - interval '23 hours') as uptime_24h,
      coalesce((select sum(e.events) from events_aggregated e
         where e.relay_id = r.id and e.hour >= date_trunc('hour', now()) - interval '23 hours'), 0)::bigint as events_24h,
      coalesce((select sum(e.invalid) from events_aggregated e
         where e.relay_id = r.id and e.hour >= date_trunc('hour', now()) - interval '23 hours'), 0)::bigint as invalid_24h,
      r.open_latency_ms, r.eose_latency_ms, r.last_event_at
    from relays r
  `;
}

/**
 * `relays.held_at`: when a collector replica last reported holding the relay (it does about once a
 * minute while the relay is its own, whatever the socket's state). A relay's `status` is only as
 * current as this: once no replica has reported it for five minutes, readers show `unknown` (so
 * does `relay_health_summary`); a watched relay never reported is `unknown` too. The watched
 * relays start as reported now, which gives collectors of the previous release, which do not
 * report, five minutes to be replaced during an upgrade.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('relays').addColumn('held_at', 'timestamptz').execute();
  await sql`update relays set held_at = now() where watched`.execute(db);
  await healthSummary(
    sql`case when r.held_at is null and r.watched then 'unknown'
             when r.held_at < now() - interval '5 minutes' then 'unknown'
             else r.status end`,
  ).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await healthSummary(sql`r.status`).execute(db);
  await db.schema.alterTable('relays').dropColumn('held_at').execute();
}
