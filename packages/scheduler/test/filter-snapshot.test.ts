import type { Database } from '@nostr-info/shared/db';
import { type FullSnapshot, fullSnapshotSchema, type StatsRange } from '@nostr-info/shared/stats';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduler } from '../src/scheduler.js';
import { type Backend, createTestContext, type TestContext } from './context.js';
import { NOW, slotOf } from './fixture.js';

// What is kept out of the network figures, from rows as collectors write them: off-filter copies
// per relay and reason, late and future events by kind, deletions by kind, and the deletion
// requests that take articles out of the distinct-articles figure. Each range counts the buckets
// it covers; a deletion applies to an article whatever range it falls in.

type Db = Kysely<Database>;

/** Inside every range · inside 7d and longer only · inside 90d and `all` only. */
const RECENT = '2026-11-24T11:10:00Z';
const DAYS_AGO = '2026-11-21T09:00:00Z';
const LONG_AGO = '2026-10-01T00:00:00Z';

/** Adds one observation to the 5-minute, hour and day rows of a counter, as a flush does. */
async function add(db: Db, table: string, at: string, key: object, counters: Record<string, number>) {
  for (const [suffix, bucket] of [
    ['hourly', { hour: `${at.slice(0, 13)}:00:00Z` }],
    ['5m', { bucket: slotOf(at) }],
    ['daily', { day: at.slice(0, 10) }],
  ] as const) {
    const row = { ...bucket, ...key, ...counters };
    await sql`insert into ${sql.table(`${table}_${suffix}`)} (${sql.join(Object.keys(row).map((c) => sql.ref(c)))})
              values (${sql.join(Object.values(row))})`.execute(db);
  }
}

const id = (c: string) => c.repeat(64);
const P1 = id('1');
const P2 = id('2');
const P3 = id('3');

async function article(db: Db, pubkey: string, d: string, seen: string, eventId: string, createdAt: string) {
  await db
    .insertInto('articles')
    .values({
      pubkey,
      d_tag: d,
      first_seen_at: seen,
      last_seen_at: seen,
      latest_created_at: createdAt,
      versions: 1,
      latest_event_id: eventId,
    })
    .execute();
}

async function seed(db: Db): Promise<void> {
  for (const url of ['wss://a.example', 'wss://b.example']) {
    await db.insertInto('relays').values({ url, source: 'seed', watched: true }).execute();
  }
  const ids = await db.selectFrom('relays').select(['id', 'url']).orderBy('url').execute();
  const [a, b] = ids.map((r) => r.id) as [number, number];
  await add(db, 'relay_off_filter', RECENT, { relay_id: a, reason: 'kind' }, { copies: 3 });
  await add(db, 'relay_off_filter', RECENT, { relay_id: a, reason: 'since' }, { copies: 1 });
  await add(db, 'relay_off_filter', DAYS_AGO, { relay_id: a, reason: 'subscription' }, { copies: 2 });
  await add(db, 'relay_off_filter', LONG_AGO, { relay_id: b, reason: 'until' }, { copies: 4 });
  await add(db, 'untimely_events', RECENT, { kind: 0 }, { late: 2, future: 0 });
  await add(db, 'untimely_events', DAYS_AGO, { kind: 1 }, { late: 0, future: 1 });
  await add(db, 'untimely_events', LONG_AGO, { kind: 30023 }, { late: 5, future: 0 });
  await add(db, 'deletions', RECENT, { kind: 30023 }, { deletions: 2 });
  await add(db, 'deletions', RECENT, { kind: -1 }, { deletions: 1 });
  await add(db, 'deletions', DAYS_AGO, { kind: 1 }, { deletions: 1 });
  await add(db, 'network_events', RECENT, { kind: 5 }, { events: 3 });
  await add(db, 'network_events', DAYS_AGO, { kind: 5 }, { events: 1 });

  const T = '2026-11-24T10:00:00Z';
  // Deleted by address (a request reaching its latest version) and by the id of its latest version.
  await article(db, P1, 'x', RECENT, id('a'), T);
  await article(db, P1, 'y', RECENT, id('b'), T);
  // Not deleted: another key asked; a request older than the latest version.
  await article(db, P2, 'z', RECENT, id('c'), T);
  await article(db, P2, 'w', RECENT, id('d'), T);
  // Deleted, updated days ago and long ago.
  await article(db, P3, 'v', DAYS_AGO, id('e'), DAYS_AGO);
  await article(db, P3, 'u', LONG_AGO, id('f'), LONG_AGO);
  await db
    .insertInto('article_deletions')
    .values([
      { pubkey: P1, d_tag: 'x', deleted_until: T },
      { pubkey: P2, d_tag: 'w', deleted_until: '2026-11-24T09:59:59Z' },
      { pubkey: P3, d_tag: 'u', deleted_until: NOW.toISOString() },
    ])
    .execute();
  await db
    .insertInto('event_deletions')
    .values([
      { event_id: id('b'), pubkey: P1 },
      // Also deleted by address: counted once.
      { event_id: id('a'), pubkey: P1 },
      { event_id: id('c'), pubkey: P3 },
      { event_id: id('e'), pubkey: P3 },
    ])
    .execute();
}

describe.each<Backend>(['postgres', 'pglite'])('off-filter, late, future and deletions (%s)', (backend) => {
  let t: TestContext;
  const snapshots = new Map<StatsRange, FullSnapshot>();

  beforeAll(async () => {
    t = await createTestContext(backend);
    await seed(t.dbs.writer);
    const result = await runScheduler(t.ctx, { now: () => NOW });
    expect(result.error).toBeUndefined();
    for (const row of await t.dbs.writer.selectFrom('statistics_snapshots').selectAll().execute())
      snapshots.set(row.range, fullSnapshotSchema.parse(row.body));
  });
  afterAll(async () => {
    await t?.close();
  });
  const get = (range: StatsRange): FullSnapshot => {
    const s = snapshots.get(range);
    if (!s) throw new Error(`no ${range} snapshot`);
    return s;
  };

  it('24h: the last day only', () => {
    const s = get('24h');
    expect(s.events.off_filter).toEqual({
      total: 4,
      by_reason: { subscription: 0, kind: 3, since: 1, until: 0 },
    });
    expect(s.relays.relays.map((r) => [r.url, r.off_filter])).toEqual([
      ['wss://a.example', 4],
      ['wss://b.example', 0],
    ]);
    expect(s.events.late).toEqual({ total: 2, by_kind: { '0': 2 } });
    expect(s.events.future).toEqual({ total: 0, by_kind: {} });
    expect(s.events.deletions).toEqual({ total: 3, by_kind: { '30023': 2, unknown: 1 } });
    expect(s.overview.events).toMatchObject({ off_filter: 4, late: 2, future: 0 });
    expect(s.overview).toMatchObject({ articles: 2, articles_deleted: 2 });
  });

  it('7d and all: what each range covers', () => {
    const week = get('7d');
    expect(week.events.off_filter.by_reason).toEqual({ subscription: 2, kind: 3, since: 1, until: 0 });
    expect(week.events.future).toEqual({ total: 1, by_kind: { '1': 1 } });
    expect(week.events.deletions).toEqual({ total: 4, by_kind: { '30023': 2, unknown: 1, '1': 1 } });
    expect(week.overview).toMatchObject({ articles: 2, articles_deleted: 3 });
    const all = get('all');
    expect(all.events.off_filter).toEqual({
      total: 10,
      by_reason: { subscription: 2, kind: 3, since: 1, until: 4 },
    });
    expect(all.relays.relays.map((r) => r.off_filter)).toEqual([6, 4]);
    expect(all.events.late).toEqual({ total: 7, by_kind: { '0': 2, '30023': 5 } });
    expect(all.overview).toMatchObject({ articles: 2, articles_deleted: 4 });
    expect(get('30d').overview).toMatchObject({ articles: 2, articles_deleted: 3 });
  });
});
