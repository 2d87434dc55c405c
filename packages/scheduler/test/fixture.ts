import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';

/**
 * A hand-built dataset whose every figure is known. Rows are written the way the collector writes
 * them: each observation adds to its hour row AND its day row (additive upserts), first/last-seen
 * tables hold one row per pubkey, article, zap participant.
 *
 * The run's clock is NOW = 2026-11-24 12:30 UTC, so the windows start at
 * 24h: 2026-11-23 12:30 · 7d: 2026-11-17 13:00 · 30d: 2026-10-26 · 90d: 2026-08-27.
 */
export const NOW = new Date('2026-11-24T12:30:00.000Z');

const hourOf = (at: string) => `${at.slice(0, 13)}:00:00Z`;
const dayOf = (at: string) => at.slice(0, 10);
/** Start of the 5-minute slot holding `at`. */
export const slotOf = (at: string) => {
  const ms = Date.parse(at);
  return new Date(ms - (ms % 300_000)).toISOString();
};

/** The 5-minute table the collector writes beside each hourly one the fixture fills. */
const SLOT_TABLES: Record<string, string> = {
  events_aggregated: 'events_aggregated_5m',
  network_events_hourly: 'network_events_5m',
  relay_health_hourly: 'relay_health_5m',
  zaps_hourly: 'zaps_5m',
  clients_hourly: 'clients_5m',
};

type Db = Kysely<Database>;

async function addUp(db: Db, table: string, keys: Record<string, unknown>, counters: Record<string, number>) {
  const cols = [...Object.keys(keys), ...Object.keys(counters)];
  const values = [...Object.values(keys), ...Object.values(counters)];
  const updates = Object.keys(counters).map(
    (c) => sql`${sql.ref(c)} = t.${sql.ref(c)} + excluded.${sql.ref(c)}`,
  );
  await sql`insert into ${sql.table(table)} as t (${sql.join(cols.map((c) => sql.ref(c)))})
            values (${sql.join(values)})
            on conflict (${sql.join(Object.keys(keys).map((k) => sql.ref(k)))}) do update set ${sql.join(updates)}`.execute(
    db,
  );
}

/** Adds to the 5-minute, hour and day rows of an hourly/daily table pair. */
async function both(
  db: Db,
  hourly: string,
  daily: string,
  at: string,
  keys: Record<string, unknown>,
  c: Record<string, number>,
) {
  await addUp(db, hourly, { hour: hourOf(at), ...keys }, c);
  const slots = SLOT_TABLES[hourly];
  if (slots) await addUp(db, slots, { bucket: slotOf(at), ...keys }, c);
  await addUp(db, daily, { day: dayOf(at), ...keys }, c);
}

/**
 * Relay `relay` delivered `events` valid copies (and `invalid` bad ones) of `kind` at `at`; of
 * them, `duplicates` another relay delivered first, and `firstCorroborated` it delivered first and
 * another relay after it.
 */
export const relayEvents = (
  db: Db,
  relay: number,
  kind: number,
  at: string,
  events: number,
  invalid = 0,
  { duplicates = 0, firstCorroborated = 0 } = {},
) =>
  both(
    db,
    'events_aggregated',
    'events_aggregated_daily',
    at,
    { relay_id: relay, kind },
    { events, invalid, duplicates, first_corroborated: firstCorroborated },
  );

/** `events` network-unique events of `kind` observed at `at`. */
export const networkEvents = (db: Db, kind: number, at: string, events: number) =>
  both(db, 'network_events_hourly', 'network_events_daily', at, { kind }, { events });

export const health = (
  db: Db,
  relay: number,
  at: string,
  c: { connected_ms: number; observed_ms: number; open?: [number, number]; eose?: [number, number] },
) =>
  both(
    db,
    'relay_health_hourly',
    'relay_health_daily',
    at,
    { relay_id: relay },
    {
      connected_ms: c.connected_ms,
      observed_ms: c.observed_ms,
      open_latency_ms_sum: c.open?.[0] ?? 0,
      open_latency_count: c.open?.[1] ?? 0,
      eose_latency_ms_sum: c.eose?.[0] ?? 0,
      eose_latency_count: c.eose?.[1] ?? 0,
    },
  );

/**
 * Seeds the dataset. Event observations (network-unique / per relay):
 * E1 11-24 12:10  k1 net 12; r1 10 (+1 invalid), r2 6; 4 on both, r1 first
 * E2 11-23 13:05  k7 net 4; r1 4                     (first whole hour of 24h)
 * E3 11-23 12:29:59 k1 net 7; r1 5, r3 5             (24 h 1 s before NOW: out of 24h)
 * E4 11-20 08:00  k30023 net 2, k0 net 3; r3 2 + 3
 * E5 11-10        k9735 net 3; r2 3                  (out of 7d)
 * E6 10-26 00:00  k1 net 8; r1 8                     (first day of 30d)
 * E7 10-25 23:59  k3 net 1; r1 1                     (out of 30d)
 * E8 08-27 00:00  k1 net 2; r2 2                     (first day of 90d)
 * E9 08-26 12:00  k1 net 100; r1 100                 (out of 90d)
 * E10 2025-01-01  k1 net 50; r4 50                   (all only; r4 is no longer watched)
 * E11 11-17 13:00:00 k7 net 1; r2 1                  (first hour of 7d)
 * E12 11-17 12:59:59 k7 net 1; r2 1                  (one second before it: out of 7d)
 */
export async function seedDataset(db: Db): Promise<void> {
  const relay = (r: Record<string, unknown>) =>
    db
      .insertInto('relays')
      .values({ source: 'seed', watched: true, ...r } as never)
      .execute();
  await relay({
    url: 'wss://a.example',
    name: 'A',
    software: 'strfry',
    version: '1.0',
    supported_nips: [1, 11],
    auth_required: false,
    payment_required: false,
    status: 'online',
    held_at: '2026-11-24T12:29:00Z',
    open_latency_ms: 120,
    eose_latency_ms: 220,
    last_connected_at: '2026-11-20T00:00:00Z',
    last_event_at: '2026-11-24T12:29:00Z',
  });
  await relay({
    url: 'wss://b.example',
    name: 'B',
    status: 'offline',
    held_at: '2026-11-24T12:29:30Z',
    open_latency_ms: 310,
    last_connected_at: '2026-11-24T01:00:00Z',
    last_disconnected_at: '2026-11-24T06:00:00Z',
  });
  // Last reported online by a collector 10 minutes before NOW, none since: shown as `unknown`.
  await relay({
    url: 'wss://c.example',
    status: 'online',
    held_at: '2026-11-24T12:20:00Z',
    payment_required: true,
  });
  await relay({ url: 'wss://d.example', source: 'discovered', watched: false });

  // E1..E10
  await networkEvents(db, 1, '2026-11-24T12:10:00Z', 12);
  await relayEvents(db, 1, 1, '2026-11-24T12:10:00Z', 10, 1, { firstCorroborated: 4 });
  await relayEvents(db, 2, 1, '2026-11-24T12:10:00Z', 6, 0, { duplicates: 4 });
  await networkEvents(db, 7, '2026-11-23T13:05:00Z', 4);
  await relayEvents(db, 1, 7, '2026-11-23T13:05:00Z', 4);
  await networkEvents(db, 1, '2026-11-23T12:29:59Z', 7);
  await relayEvents(db, 1, 1, '2026-11-23T12:29:59Z', 5);
  await relayEvents(db, 3, 1, '2026-11-23T12:29:59Z', 5);
  await networkEvents(db, 30023, '2026-11-20T08:00:00Z', 2);
  await networkEvents(db, 0, '2026-11-20T08:00:00Z', 3);
  await relayEvents(db, 3, 30023, '2026-11-20T08:00:00Z', 2);
  await relayEvents(db, 3, 0, '2026-11-20T08:00:00Z', 3);
  await networkEvents(db, 9735, '2026-11-10T00:00:00Z', 3);
  await relayEvents(db, 2, 9735, '2026-11-10T00:00:00Z', 3);
  await networkEvents(db, 1, '2026-10-26T00:00:00Z', 8);
  await relayEvents(db, 1, 1, '2026-10-26T00:00:00Z', 8);
  await networkEvents(db, 3, '2026-10-25T23:59:00Z', 1);
  await relayEvents(db, 1, 3, '2026-10-25T23:59:00Z', 1);
  await networkEvents(db, 1, '2026-08-27T00:00:00Z', 2);
  await relayEvents(db, 2, 1, '2026-08-27T00:00:00Z', 2);
  await networkEvents(db, 1, '2026-08-26T12:00:00Z', 100);
  await relayEvents(db, 1, 1, '2026-08-26T12:00:00Z', 100);
  await networkEvents(db, 1, '2025-01-01T10:00:00Z', 50);
  await relayEvents(db, 4, 1, '2025-01-01T10:00:00Z', 50);
  await networkEvents(db, 7, '2026-11-17T13:00:00Z', 1);
  await relayEvents(db, 2, 7, '2026-11-17T13:00:00Z', 1);
  await networkEvents(db, 7, '2026-11-17T12:59:59Z', 1);
  await relayEvents(db, 2, 7, '2026-11-17T12:59:59Z', 1);

  // Replaceable kinds keep only their latest version here; counts above count every version.
  await db
    .insertInto('replaceable_events')
    .values([
      { kind: 0, pubkey: 'p3', event_id: 'e0', created_at: '2026-11-20T08:00:00Z' },
      { kind: 3, pubkey: 'p1', event_id: 'e3', created_at: '2026-10-25T23:59:00Z' },
    ])
    .execute();

  // Health: r1 has a gap (half an hour down on 11-23 20:00, a whole hour down on 11-20 10:00).
  const H = 3_600_000;
  await health(db, 1, '2026-11-24T11:00:00Z', {
    connected_ms: H,
    observed_ms: H,
    open: [200, 2],
    eose: [300, 1],
  });
  await health(db, 1, '2026-11-23T20:00:00Z', { connected_ms: H / 2, observed_ms: H });
  await health(db, 1, '2026-11-20T10:00:00Z', { connected_ms: 0, observed_ms: H });
  await health(db, 2, '2026-11-24T05:00:00Z', { connected_ms: H, observed_ms: H, open: [900, 3] });
  await health(db, 3, '2026-11-24T12:00:00Z', {
    connected_ms: H / 3,
    observed_ms: H / 3,
    open: [50, 1],
    eose: [150, 1],
  });

  // Outages of r1 where its health has gaps: the half hour on 11-23 (in 24h), the hour on 11-20.
  await db
    .insertInto('relay_outages')
    .values([
      {
        relay_id: 1,
        started_at: '2026-11-23T20:00:00Z',
        ended_at: '2026-11-23T20:30:00Z',
        cause: 'tcp',
        detail: null,
      },
      {
        relay_id: 1,
        started_at: '2026-11-20T10:00:00Z',
        ended_at: '2026-11-20T11:00:00Z',
        cause: 'dns',
        detail: null,
      },
    ])
    .execute();

  // One row per pubkey however many days it was active: p1 posted on 2025-01-01, 11-23 and 11-24
  // and counts once in every range it touches.
  const pubkey = (pubkey: string, first: string, last: string) =>
    db
      .insertInto('pubkeys')
      .values({ pubkey, first_seen_at: first, last_seen_at: last, events: 1 })
      .execute();
  await pubkey('p1', '2025-01-01T10:00:00Z', '2026-11-24T12:00:00Z');
  await pubkey('p2', '2026-11-23T13:00:00Z', '2026-11-24T10:00:00Z'); // first seen in the first whole hour of 24h
  await pubkey('p3', '2026-11-23T12:29:59Z', '2026-11-23T12:29:59Z'); // one second before the 24h edge
  await pubkey('p4', '2026-10-26T00:00:00Z', '2026-11-18T00:00:00Z');
  await pubkey('p5', '2026-08-01T00:00:00Z', '2026-10-25T23:59:59Z');
  await db
    .insertInto('user_activity_hourly')
    .values([
      { hour: '2026-11-24T12:00:00Z', active_users: 2, new_users: 0 },
      { hour: '2026-11-23T13:00:00Z', active_users: 1, new_users: 1 },
      { hour: '2026-11-23T12:00:00Z', active_users: 1, new_users: 1 },
    ])
    .execute();
  await db
    .insertInto('user_activity_daily')
    .values([
      { day: '2026-11-24', active_users: 2, new_users: 0 },
      { day: '2026-11-23', active_users: 3, new_users: 2 },
      { day: '2026-10-26', active_users: 1, new_users: 1 },
      { day: '2025-01-01', active_users: 1, new_users: 1 },
    ])
    .execute();

  // Zaps, as the collector stores them after decoding bolt11 amounts (whole sats, and the msats
  // beyond them): lnbc1m = 100,000 · lnbc10005n = 1,000.5 · lnbc2505n = 250.5 ·
  // lnbc10000p = 1; plus one flagged receipt, which (as in the collector) counts apart: neither in
  // `zaps` nor in `sats`. The two halves make a whole sat only in ranges that hold both.
  const zap = (at: string, c: { zaps: number; sats: number; extraMsats?: number; flagged?: number }) =>
    both(
      db,
      'zaps_hourly',
      'zaps_daily',
      at,
      {},
      {
        zaps: c.zaps,
        sats: c.sats,
        extra_msats: c.extraMsats ?? 0,
        flagged: c.flagged ?? 0,
        invalid_bolt11: 0,
      },
    );
  await zap('2026-11-24T12:05:00Z', { zaps: 1, sats: 100_000, flagged: 1 });
  await zap('2026-11-23T13:30:00Z', { zaps: 1, sats: 1_000, extraMsats: 500 });
  await zap('2026-11-20T09:00:00Z', { zaps: 1, sats: 250, extraMsats: 500 });
  await zap('2026-11-01T09:00:00Z', { zaps: 1, sats: 1 });
  const participant = (pubkey: string, role: 'sender' | 'receiver', last: string) =>
    db
      .insertInto('zap_participants')
      .values({
        pubkey,
        role,
        first_seen_at: '2026-11-01T09:00:00Z',
        last_seen_at: last,
        zaps: 1,
        sats: 1,
        extra_msats: 0,
      })
      .execute();
  await participant('s1', 'sender', '2026-11-24T12:05:00Z');
  await participant('s2', 'sender', '2026-11-20T09:00:00Z');
  await participant('r1', 'receiver', '2026-11-24T12:05:00Z');
  await participant('r2', 'receiver', '2026-11-01T09:00:00Z');

  // Articles: one row per (pubkey, d tag) however often republished.
  const article = (pubkey: string, d: string, first: string, last: string, versions: number) =>
    db
      .insertInto('articles')
      .values({
        pubkey,
        d_tag: d,
        first_seen_at: first,
        last_seen_at: last,
        latest_created_at: last,
        versions,
      })
      .execute();
  await article('p1', 'post', '2026-10-01T00:00:00Z', '2026-11-24T09:00:00Z', 3);
  await article('p2', 'x', '2026-11-20T08:00:00Z', '2026-11-20T08:00:00Z', 1);
  await article('p4', 'old', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);

  const client = (name: string, at: string, events: number) =>
    both(db, 'clients_hourly', 'clients', at, { client: name }, { events });
  await client('damus', '2026-11-24T12:00:00Z', 5);
  await client('amethyst', '2026-11-23T13:00:00Z', 3);
  await client('damus', '2026-11-20T08:00:00Z', 4);
  await client('primal', '2026-11-01T08:00:00Z', 7);
  const clientUser = (name: string, pubkey: string, last: string) =>
    db
      .insertInto('client_users')
      .values({ client: name, pubkey, first_seen_at: '2026-10-01T00:00:00Z', last_seen_at: last })
      .execute();
  await clientUser('damus', 'p1', '2026-11-24T12:00:00Z');
  await clientUser('damus', 'p2', '2026-11-24T10:00:00Z');
  await clientUser('amethyst', 'p2', '2026-11-23T13:00:00Z');
  await clientUser('primal', 'p4', '2026-11-01T08:00:00Z');
}
