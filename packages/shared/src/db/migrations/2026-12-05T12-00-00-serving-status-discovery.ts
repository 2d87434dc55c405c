import { type Kysely, sql } from 'kysely';

// Frozen in time: later changes go into new migrations, never into this file.

const STATUSES_BEFORE = `'unknown', 'online', 'offline', 'auth_required', 'error', 'stalled'`;
const STATUSES = `${STATUSES_BEFORE}, 'unresponsive', 'payment_required'`;

/** `relay_health_summary` as the held-at migration made it, with the uptime expression given. */
function healthSummary(uptime: ReturnType<typeof sql>) {
  return sql`
    create or replace view relay_health_summary as
    select r.id as relay_id, r.url,
      case when r.held_at is null and r.watched then 'unknown'
           when r.held_at < now() - interval '5 minutes' then 'unknown'
           else r.status end as status,
      r.watched,
      (select ${uptime} from relay_health_hourly h
        where h.relay_id = r.id and h.hour >= date_trunc('hour', now()) - interval '23 hours') as uptime_24h,
      coalesce((select sum(e.events) from events_aggregated e
         where e.relay_id = r.id and e.hour >= date_trunc('hour', now()) - interval '23 hours'), 0)::bigint as events_24h,
      coalesce((select sum(e.invalid) from events_aggregated e
         where e.relay_id = r.id and e.hour >= date_trunc('hour', now()) - interval '23 hours'), 0)::bigint as invalid_24h,
      r.open_latency_ms, r.eose_latency_ms, r.last_event_at
    from relays r
  `;
}

async function setStatusCheck(db: Kysely<any>, statuses: string): Promise<void> {
  await sql`alter table relays drop constraint if exists relays_status_check`.execute(db);
  await sql`alter table relays add constraint relays_status_check check (status in (${sql.raw(statuses)}))`.execute(
    db,
  );
}

/**
 * Uptime means serving, discovery counts authors, activity counts corroborated events:
 * - `relays.status` also takes `unresponsive` (socket open, subscription unanswered) and
 *   `payment_required`; the values stored before stay valid.
 * - `restricted_ms` on the health counters: time a relay was up but refused to serve
 *   (auth or payment required), left out of its uptime. From here on `connected_ms` is the time
 *   the relay served the subscription (answered it), where it used to be the time the socket was
 *   open; rows written before keep that meaning.
 * - `first_corroborated` on the per-relay event counters: events the relay delivered first that
 *   another watched relay delivered after it (`duplicates` counts the later copies).
 * - `relay_list_authors`: each pubkey's latest relay list (kind 10002) and contact-list relay map
 *   (kind 3), and `relays.discovery_authors`, the distinct pubkeys whose latest lists name a relay.
 * Every new column defaults to 0, so collectors of the previous version keep writing meanwhile.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await setStatusCheck(db, STATUSES);
  await db.schema
    .alterTable('relays')
    .addColumn('discovery_authors', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    create index relays_discovery_candidates_idx on relays (discovery_authors desc, id)
     where source = 'discovered' and not watched`.execute(db);

  for (const table of ['relay_health_hourly', 'relay_health_daily', 'relay_health_totals']) {
    await db.schema
      .alterTable(table)
      .addColumn('restricted_ms', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  for (const table of ['events_aggregated', 'events_aggregated_daily', 'events_aggregated_totals']) {
    await db.schema
      .alterTable(table)
      .addColumn('first_corroborated', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  }

  await db.schema
    .createTable('relay_list_authors')
    .addColumn('pubkey', 'text', (c) => c.primaryKey())
    .addColumn('list_event_id', 'text')
    .addColumn('list_created_at', 'timestamptz')
    .addColumn('list_urls', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('contacts_event_id', 'text')
    .addColumn('contacts_created_at', 'timestamptz')
    .addColumn('contacts_urls', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await healthSummary(
    sql`case when sum(h.observed_ms - h.restricted_ms) > 0
             then sum(h.connected_ms)::float8 / sum(h.observed_ms - h.restricted_ms) end`,
  ).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await healthSummary(
    sql`case when sum(h.observed_ms) > 0 then sum(h.connected_ms)::float8 / sum(h.observed_ms) end`,
  ).execute(db);
  await db.schema.dropTable('relay_list_authors').ifExists().execute();
  for (const table of ['events_aggregated', 'events_aggregated_daily', 'events_aggregated_totals'])
    await db.schema.alterTable(table).dropColumn('first_corroborated').execute();
  for (const table of ['relay_health_hourly', 'relay_health_daily', 'relay_health_totals'])
    await db.schema.alterTable(table).dropColumn('restricted_ms').execute();
  await sql`drop index if exists relays_discovery_candidates_idx`.execute(db);
  await db.schema.alterTable('relays').dropColumn('discovery_authors').execute();
  await sql`update relays set status = 'offline' where status in ('unresponsive', 'payment_required')`.execute(
    db,
  );
  await setStatusCheck(db, STATUSES_BEFORE);
}
