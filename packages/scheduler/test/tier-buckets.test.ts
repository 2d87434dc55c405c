import type { Database } from '@nostr-info/shared/db';
import { createLogger } from '@nostr-info/shared/log';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSnapshot } from '../src/compute/compute-snapshot.js';
import { readRelayFacts } from '../src/compute/relay-facts.js';
import {
  type BucketTiers,
  bucketTiersAt,
  readTierSeries,
  type TierSeries,
} from '../src/compute/tier-buckets.js';
import { refreshUserTiersIfDue } from '../src/trust/tier-refresh.js';
import { type Backend, createTestContext, type TestContext } from './context.js';
import { NOW } from './fixture.js';

// Four keys active in known hours and days, with known tiers, and the per-bucket counts worked out
// by hand below. The tier refresh runs at NOW (12:30), so it stores the hours before 12:00 and the
// days before 11-24; the statistics run counts 12:00 and 11-24 itself. Key D is first seen after
// the refresh: its row has no tiers, and it has a profile and a follow list, so it is profiled.

const key = (n: number) => n.toString(16).padStart(64, '0');
const A = 1; // profiled and trusted
const B = 2; // profiled
const C = 3; // trusted, a profile but no follow list: not profiled
const D = 4; // profiled, first seen after the refresh
const E = 5; // profiled, first seen 23 h 20 min before NOW: inside 24h's first hour, before its start
const log = createLogger({ level: 'silent' });
const h = (iso: string) => `2026-11-${iso}:00:00.000Z`;
const day = (d: string) => `2026-11-${d}T00:00:00.000Z`;

const FIRST_SEEN: Record<number, string> = {
  [A]: '2026-11-22T10:05:00Z',
  [B]: '2026-11-23T10:15:00Z',
  [C]: '2026-11-24T09:20:00Z',
  [D]: '2026-11-24T12:10:00Z',
  [E]: '2026-11-23T12:10:00Z',
};
const HOURS: Record<number, string[]> = {
  [A]: [h('24T09'), h('24T11')],
  [B]: [h('23T10'), h('24T11'), h('24T12')],
  [C]: [h('24T09'), h('24T12')],
  [D]: [h('24T12')],
  [E]: [h('23T12')],
};
const DAYS: Record<number, string[]> = {
  [A]: ['2026-11-22', '2026-11-24'],
  [B]: ['2026-11-23', '2026-11-24'],
  [C]: ['2026-11-24'],
  [D]: ['2026-11-24'],
  [E]: ['2026-11-23'],
};

const tiers = (ap: number, at: number, np: number, nt: number): BucketTiers => ({
  active_profiled: ap,
  active_trusted: at,
  new_profiled: np,
  new_trusted: nt,
});
const EXPECTED_HOURS: Record<string, BucketTiers> = {
  [h('22T10')]: tiers(0, 0, 1, 1), // A new
  [h('23T10')]: tiers(1, 0, 1, 0), // B active; B new
  [h('23T12')]: tiers(1, 0, 1, 0), // E active; E new
  [h('24T09')]: tiers(1, 2, 0, 1), // A, C active; C new
  [h('24T11')]: tiers(2, 1, 0, 0), // A, B active
  [h('24T12')]: tiers(2, 1, 1, 0), // B, C, D active; D new (live)
};
const EXPECTED_DAYS: Record<string, BucketTiers> = {
  [day('22')]: tiers(1, 1, 1, 1), // A active; A new
  [day('23')]: tiers(2, 0, 2, 0), // B, E active; B, E new
  [day('24')]: tiers(3, 2, 1, 1), // A, B, C, D active; C, D new (live)
};

async function addKeys(db: Kysely<Database>, keys: number[]): Promise<void> {
  await db
    .insertInto('pubkeys')
    .values(
      keys.map((n) => ({
        pubkey: key(n),
        first_seen_at: FIRST_SEEN[n] as string,
        last_seen_at: (HOURS[n] ?? []).at(-1) as string,
        events: 1,
      })),
    )
    .execute();
  await db
    .insertInto('active_users_hourly')
    .values(keys.flatMap((n) => (HOURS[n] ?? []).map((hour) => ({ hour, pubkey: key(n) }))))
    .execute();
  await db
    .insertInto('active_users')
    .values(keys.flatMap((n) => (DAYS[n] ?? []).map((d) => ({ day: d, pubkey: key(n), events: 1 }))))
    .execute();
  const profile = (n: number, kinds: number[]) =>
    kinds.map((kind) => ({ kind, pubkey: key(n), event_id: key(n), created_at: FIRST_SEEN[n] as string }));
  const profiles = [
    ...(keys.includes(A) ? profile(A, [0, 3]) : []),
    ...(keys.includes(B) ? profile(B, [0, 3]) : []),
    ...(keys.includes(C) ? profile(C, [0]) : []),
    ...(keys.includes(D) ? profile(D, [0, 3]) : []),
    ...(keys.includes(E) ? profile(E, [0, 3]) : []),
  ];
  await db.insertInto('replaceable_events').values(profiles).execute();
  const trusted = [A, C].filter((n) => keys.includes(n));
  if (trusted.length > 0)
    await db
      .insertInto('trusted_pubkeys')
      .values(trusted.map((n) => ({ pubkey: key(n), score: 0.1, computed_at: NOW })))
      .execute();
}

/** The distinct counts the collector keeps beside the rows (`user_activity_*`), from the same keys. */
async function addActivityCounts(db: Kysely<Database>): Promise<void> {
  const keys = [A, B, C, D, E];
  const count = (
    buckets: Record<string, { active_users: number; new_users: number }>,
    b: string,
    f: 'active_users' | 'new_users',
  ) => {
    const row = buckets[b] ?? { active_users: 0, new_users: 0 };
    row[f] += 1;
    buckets[b] = row;
  };
  const hours: Record<string, { active_users: number; new_users: number }> = {};
  const days: Record<string, { active_users: number; new_users: number }> = {};
  for (const n of keys) {
    for (const hour of HOURS[n] ?? []) count(hours, hour, 'active_users');
    for (const d of DAYS[n] ?? []) count(days, d, 'active_users');
    const first = new Date(FIRST_SEEN[n] as string);
    count(hours, new Date(Math.floor(first.getTime() / HOUR_MS) * HOUR_MS).toISOString(), 'new_users');
    count(days, first.toISOString().slice(0, 10), 'new_users');
  }
  await db
    .insertInto('user_activity_hourly')
    .values(Object.entries(hours).map(([hour, c]) => ({ hour, ...c })))
    .execute();
  await db
    .insertInto('user_activity_daily')
    .values(Object.entries(days).map(([d, c]) => ({ day: d, ...c })))
    .execute();
}

/**
 * Every bucket from `first` to `last` as `series` gives it (`bucketTiersAt`, what the activity
 * points use) beside the hand-built counts where a key was active or new, zero elsewhere.
 */
function compareSeries(
  series: TierSeries,
  expected: Record<string, BucketTiers>,
  first: string,
  last: string,
  stepMs: number,
): { got: Record<string, BucketTiers | null>; want: Record<string, BucketTiers> } {
  const got: Record<string, BucketTiers | null> = {};
  const want: Record<string, BucketTiers> = {};
  for (let t = Date.parse(first); t <= Date.parse(last); t += stepMs) {
    const iso = new Date(t).toISOString();
    got[iso] = bucketTiersAt(series, new Date(t));
    want[iso] = expected[iso] ?? tiers(0, 0, 0, 0);
  }
  return { got, want };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe.each<Backend>(['postgres', 'pglite'])('per-bucket user tiers on %s', (backend) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(backend);
    await addKeys(t.dbs.writer, [A, B, C, E]);
    const refresh = await refreshUserTiersIfDue(t.dbs.writer, { now: NOW, intervalSeconds: 3600, log });
    expect(refresh.ran).toBe(true);
    await addKeys(t.dbs.writer, [D]);
    await addActivityCounts(t.dbs.writer);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores the finished buckets up to the refresh, zero where no key was active or new', async () => {
    const refresh = await t.dbs.reader
      .selectFrom('user_tier_refreshes')
      .select(['hours_through', 'days_through'])
      .executeTakeFirstOrThrow();
    expect(new Date(refresh.hours_through ?? 0).toISOString()).toBe(h('24T12'));
    expect(refresh.days_through).toBe('2026-11-24');
    const hours = await t.dbs.reader.selectFrom('user_tiers_hourly').selectAll().orderBy('hour').execute();
    // 8 days of hours retention keeps, up to 12:00 (exclusive).
    expect(hours).toHaveLength(8 * 24);
    expect(new Date(hours[0]?.hour ?? 0).toISOString()).toBe(h('16T12'));
    expect(new Date(hours.at(-1)?.hour ?? 0).toISOString()).toBe(h('24T11'));
    const days = await t.dbs.reader.selectFrom('user_tiers_daily').selectAll().orderBy('day').execute();
    expect(days).toHaveLength(91);
    expect(days.at(-1)?.day).toBe('2026-11-23');
  });

  it('counts each bucket as the keys active and new in it, stored before the refresh and live after', async () => {
    const hourly = await readTierSeries(t.dbs.reader, 'hour', new Date(h('17T13')));
    expect(hourly.liveFrom).toBe(Date.parse(h('24T12')));
    const hourlyCmp = compareSeries(hourly, EXPECTED_HOURS, h('17T13'), h('24T12'), HOUR_MS);
    expect(hourlyCmp.got).toEqual(hourlyCmp.want);
    const daily = await readTierSeries(t.dbs.reader, 'day', null);
    expect(daily.liveFrom).toBe(Date.parse(day('24')));
    const dailyCmp = compareSeries(daily, EXPECTED_DAYS, '2026-08-25T00:00:00.000Z', day('24'), DAY_MS);
    expect(dailyCmp.got).toEqual(dailyCmp.want);
    // A day whose keys were pruned before any refresh counted it: not known, not zero.
    expect(bucketTiersAt(daily, new Date('2026-08-24T00:00:00Z'))).toBeNull();
  });

  it('reads a stored bucket from the table and counts a later one live, never both', async () => {
    // A stored row is what the run reads for its bucket, and a row at or past the boundary is not.
    await t.dbs.writer
      .updateTable('user_tiers_hourly')
      .set({ active_profiled: 99 })
      .where('hour', '=', new Date(h('24T11')))
      .execute();
    await t.dbs.writer
      .insertInto('user_tiers_hourly')
      .values({
        hour: h('24T12'),
        active_profiled: 77,
        active_trusted: 77,
        new_profiled: 77,
        new_trusted: 77,
      })
      .execute();
    try {
      const { buckets } = await readTierSeries(t.dbs.reader, 'hour', new Date(h('24T10')));
      expect(buckets.get(h('24T11'))?.active_profiled).toBe(99);
      expect(buckets.get(h('24T12'))).toEqual(EXPECTED_HOURS[h('24T12')]);
      expect([...buckets.keys()]).toEqual([h('24T10'), h('24T11'), h('24T12')]);
    } finally {
      await t.dbs.writer
        .updateTable('user_tiers_hourly')
        .set({ active_profiled: 2 })
        .where('hour', '=', new Date(h('24T11')))
        .execute();
      await t.dbs.writer
        .deleteFrom('user_tiers_hourly')
        .where('hour', '=', new Date(h('24T12')))
        .execute();
    }
  });

  it('gives the same counts once the next refresh has stored the buckets the run counted live', async () => {
    const later = new Date(NOW.getTime() + 2 * HOUR_MS);
    const refresh = await refreshUserTiersIfDue(t.dbs.writer, { now: later, intervalSeconds: 3600, log });
    expect(refresh.ran).toBe(true);
    const stored = await t.dbs.reader
      .selectFrom('user_tiers_hourly')
      .selectAll()
      .where('hour', '=', new Date(h('24T12')))
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject(EXPECTED_HOURS[h('24T12')] as BucketTiers);
    const hourly = await readTierSeries(t.dbs.reader, 'hour', new Date(h('24T00')));
    expect(hourly.liveFrom).toBe(Date.parse(h('24T14')));
    const hourlyCmp = compareSeries(hourly, EXPECTED_HOURS, h('24T00'), h('24T14'), HOUR_MS);
    expect(hourlyCmp.got).toEqual(hourlyCmp.want);
    await t.dbs.writer.deleteFrom('user_tier_refreshes').where('refreshed_at', '=', later).execute();
  });

  it('puts the tiers on every activity point; trusted null without seeds, new null before coverage', async () => {
    const relays = await readRelayFacts(t.dbs.reader);
    const { snapshot } = await computeSnapshot(t.dbs.reader, '7d', NOW, relays);
    const point = (iso: string) => snapshot.activity.series.find((p) => p.t === iso);
    // No collection and no backfill recorded: first-seen dates are not known, new users are null.
    expect(point(h('24T09'))?.user_tiers).toEqual({
      active: { keys: 2, profiled: 1, trusted: 2 },
      new: { keys: null, profiled: null, trusted: null },
    });
    await t.dbs.writer
      .insertInto('backfill_runs')
      .values({ since: '2026-01-01T00:00:00Z', started_at: NOW, relays: 1, relays_done: 1, complete: true })
      .execute();
    const known = await computeSnapshot(t.dbs.reader, '24h', NOW, relays, { trust: false });
    const live = known.snapshot.activity.series.find((p) => p.t === h('24T12'));
    expect(live?.user_tiers).toEqual({
      active: { keys: 3, profiled: 2, trusted: null },
      new: { keys: 1, profiled: 1, trusted: null },
    });
    // 24h starts at 12:30 the day before: its first point counts the active keys of the whole
    // hour, and the new ones from 12:30 on (E was first seen at 12:10); 7d counts the whole hour.
    expect(known.snapshot.activity.series[0]).toMatchObject({
      t: h('23T12'),
      user_tiers: { active: { keys: 1, profiled: 1 }, new: { keys: 0, profiled: 0 } },
    });
    const week = await computeSnapshot(t.dbs.reader, '7d', NOW, relays);
    expect(week.snapshot.activity.series.find((p) => p.t === h('23T12'))?.user_tiers).toEqual({
      active: { keys: 1, profiled: 1, trusted: 0 },
      new: { keys: 1, profiled: 1, trusted: 0 },
    });
  });
});
