import type { Database } from '@nostr-info/shared/db';
import { type FullSnapshot, fullSnapshotSchema, METHODOLOGY_VERSION } from '@nostr-info/shared/stats';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduler } from '../src/scheduler.js';
import { createTestContext, type TestContext } from './context.js';
import { NOW } from './fixture.js';

// A hand-built follow graph: two seeds, organic users they reach, a clique of bot keys that follow
// each other, the seeds and organic users, and one organic user who follows a bot back. The bots
// have profiles and follow lists (profiled) but are not trusted; the organic users are.

const key = (n: number) => n.toString(16).padStart(64, '0');
const SEEDS = [1, 2];
const ORGANIC = [11, 12, 13, 14];
/** Organic, but followed only by bots. */
const LONELY = 15;
const BOTS = [21, 22, 23, 24, 25];
/** Active keys with nothing else: no profile, no list. */
const BARE = [31, 32, 33];

const LISTS: Record<number, number[]> = {
  1: [11, 12],
  2: [12, 13],
  11: [13, 14],
  12: [11],
  13: [1],
  // The attack edge: an organic user who follows a bot.
  14: [12, 11, 13, 21],
};
for (const b of BOTS) LISTS[b] = [...BOTS.filter((x) => x !== b), 11, 12, 1, LONELY];

const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000);
/** Keys first seen within the last day (the others long before). */
const FRESH = new Set([14, LONELY, ...BOTS, ...BARE]);
/** Keys with a profile (kind 0) and a follow list (kind 3). */
const PROFILED = [...SEEDS, ...ORGANIC, ...BOTS];

async function seedGraph(db: Kysely<Database>): Promise<void> {
  const everyone = [...SEEDS, ...ORGANIC, LONELY, ...BOTS, ...BARE];
  await db
    .insertInto('pubkeys')
    .values(
      everyone.map((n) => ({
        pubkey: key(n),
        first_seen_at: FRESH.has(n) ? at(2) : at(24 * 300),
        last_seen_at: at(1),
        events: 1,
      })),
    )
    .execute();
  await db
    .insertInto('replaceable_events')
    .values([
      ...PROFILED.flatMap((n) =>
        [0, 3].map((kind) => ({ kind, pubkey: key(n), event_id: key(n), created_at: at(3) })),
      ),
      { kind: 0, pubkey: key(LONELY), event_id: key(LONELY), created_at: at(3) },
    ])
    .execute();
  await db
    .insertInto('pubkey_ids')
    .values(everyone.map((n) => ({ id: n, pubkey: key(n) })))
    .execute();
  await db
    .insertInto('follow_lists')
    .values(
      Object.entries(LISTS).map(([n, follows]) => ({
        follower_id: Number(n),
        event_id: key(Number(n)),
        created_at: at(3),
        followees: [...follows].sort((a, b) => a - b),
      })),
    )
    .execute();
  // First-seen dates known from a completed backfill: without one, new users are warming_up.
  await db
    .insertInto('backfill_runs')
    .values({ since: at(24 * 400), started_at: NOW, relays: 1, relays_done: 1, complete: true })
    .execute();
}

async function latest(t: TestContext, range: string): Promise<FullSnapshot> {
  const row = await t.dbs.writer
    .selectFrom('statistics_snapshots')
    .select('body')
    .where('range', '=', range as '24h')
    .orderBy('computed_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return fullSnapshotSchema.parse(row.body);
}

const minutes = (m: number) => () => new Date(NOW.getTime() + m * 60_000);

describe('web of trust and user tiers on PostgreSQL', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext('postgres', {
      env: {
        TRUST_SEEDS: SEEDS.map(key).join(','),
        TRUST_MIN_SCORE: '0.05',
        TRUST_INTERVAL_SECONDS: '3600',
      },
    });
    await seedGraph(t.dbs.writer);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('trusts the seeds and the organic users they reach, not the bots nor whom only bots follow', async () => {
    const first = await runScheduler(t.ctx, { now: minutes(0) });
    expect(first.error).toBeUndefined();
    // The first run's snapshots were out before the trust computation.
    const before = await latest(t, '24h');
    expect(before.methodology_version).toBe(METHODOLOGY_VERSION);
    expect(before.overview.user_tiers.active.trusted).toBe(0);
    expect(before.overview.user_tiers.trust_computed_at).toBeNull();

    const trusted = await t.dbs.reader.selectFrom('trusted_pubkeys').select(['pubkey', 'score']).execute();
    expect(trusted.map((r) => Number.parseInt(r.pubkey, 16)).sort((a, b) => a - b)).toEqual([
      ...SEEDS,
      ...ORGANIC,
    ]);
    // The bot followed by an organic user gets some trust, below the threshold.
    const runs = await t.dbs.reader.selectFrom('trust_runs').selectAll().execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ seeds: 2, lists: 11, edges: 2 + 2 + 2 + 1 + 1 + 4 + 5 * 8, trusted: 6 });
    expect(runs[0]?.methodology_version).toBe(METHODOLOGY_VERSION);
  });

  it('gives every range the keys, profiled and trusted figures of active and new users', async () => {
    const second = await runScheduler(t.ctx, { now: minutes(5) });
    expect(second.error).toBeUndefined();
    // Not due again within the hour.
    expect(await t.dbs.reader.selectFrom('trust_runs').select('id').execute()).toHaveLength(1);
    const s = await latest(t, '24h');
    expect(s.overview.users).toEqual({ active: 15, new: 10 });
    expect(s.overview.user_tiers).toEqual({
      active: { keys: 15, profiled: 11, trusted: 6 },
      new: { keys: 10, profiled: 6, trusted: 1 },
      trust_computed_at: NOW.toISOString(),
    });
    const all = await latest(t, 'all');
    expect(all.overview.user_tiers.active).toEqual({ keys: 15, profiled: 11, trusted: 6 });
    expect(all.overview.user_tiers.new).toEqual({ keys: 15, profiled: 11, trusted: 6 });
  });

  it("keeps each key's tiers on its row, and counts rows not refreshed yet from the tables", async () => {
    const rows = await t.dbs.reader.selectFrom('pubkeys').select(['pubkey', 'profiled', 'trusted']).execute();
    const tiers = new Map(rows.map((r) => [Number.parseInt(r.pubkey, 16), r]));
    for (const n of [...SEEDS, ...ORGANIC])
      expect(tiers.get(n)).toMatchObject({ profiled: true, trusted: true });
    for (const n of BOTS) expect(tiers.get(n)).toMatchObject({ profiled: true, trusted: false });
    for (const n of [LONELY, ...BARE])
      expect(tiers.get(n)).toMatchObject({ profiled: false, trusted: false });
    // A key first seen since the refresh, with a profile and a follow list: looked up.
    await t.dbs.writer
      .insertInto('pubkeys')
      .values({ pubkey: key(41), first_seen_at: at(1), last_seen_at: at(1), events: 1 })
      .execute();
    await t.dbs.writer
      .insertInto('replaceable_events')
      .values([0, 3].map((kind) => ({ kind, pubkey: key(41), event_id: key(41), created_at: at(1) })))
      .execute();
    // The counts come from the rows: a tier written on a row counts though the tables say otherwise.
    await t.dbs.writer.updateTable('pubkeys').set({ profiled: true }).where('pubkey', '=', key(31)).execute();
    expect((await runScheduler(t.ctx, { now: minutes(10) })).error).toBeUndefined();
    const s = await latest(t, '24h');
    expect(s.overview.user_tiers.active).toEqual({ keys: 16, profiled: 13, trusted: 6 });
    await t.dbs.writer.updateTable('pubkeys').set({ profiled: null }).where('pubkey', '=', key(31)).execute();
  });

  it('recomputes once the interval has passed, and refreshes the tiers on the rows', async () => {
    await runScheduler(t.ctx, { now: minutes(61) });
    expect(await t.dbs.reader.selectFrom('trust_runs').select('id').execute()).toHaveLength(2);
    const rows = await t.dbs.reader
      .selectFrom('pubkeys')
      .select(['pubkey', 'profiled'])
      .where('pubkey', 'in', [key(31), key(41)])
      .orderBy('pubkey')
      .execute();
    expect(rows.map((r) => r.profiled)).toEqual([false, true]);
    expect(await t.dbs.reader.selectFrom('user_tier_refreshes').select('changed').execute()).toHaveLength(2);
  });
  it('counts zap senders, receivers and client users by tier, from their rows once refreshed', async () => {
    const zappers = [
      { role: 'sender' as const, n: 11 },
      { role: 'sender' as const, n: 21 },
      { role: 'sender' as const, n: 31 },
      { role: 'receiver' as const, n: 1 },
      { role: 'receiver' as const, n: 22 },
    ];
    await t.dbs.writer
      .insertInto('zap_participants')
      .values(
        zappers.map(({ role, n }) => ({
          role,
          pubkey: key(n),
          first_seen_at: at(1),
          last_seen_at: at(1),
          zaps: 1,
          sats: 21,
          extra_msats: 0,
        })),
      )
      .execute();
    const clients = { damus: [11, 12, 21, 31], amethyst: [13, 22] };
    await t.dbs.writer
      .insertInto('client_users')
      .values(
        Object.entries(clients).flatMap(([client, users]) =>
          users.map((n) => ({ client, pubkey: key(n), first_seen_at: at(1), last_seen_at: at(1) })),
        ),
      )
      .execute();
    const expectTiers = async (now: () => Date) => {
      expect((await runScheduler(t.ctx, { now })).error).toBeUndefined();
      const s = await latest(t, '24h');
      expect(s.overview.zaps.tiers).toEqual({
        senders: { keys: 3, profiled: 2, trusted: 1 },
        receivers: { keys: 2, profiled: 2, trusted: 1 },
      });
      const byClient = Object.fromEntries(s.clients.by_users.map((c) => [c.client, c.users_tiers]));
      expect(byClient).toEqual({
        damus: { keys: 4, profiled: 3, trusted: 2 },
        amethyst: { keys: 2, profiled: 2, trusted: 1 },
      });
    };
    // Not refreshed yet: looked up.
    await expectTiers(minutes(65));
    expect(
      await t.dbs.reader
        .selectFrom('client_users')
        .select('pubkey')
        .where('profiled', 'is not', null)
        .execute(),
    ).toHaveLength(0);
    // The next refresh writes them onto the rows, and the figures come from the rows.
    await expectTiers(minutes(125));
    const rows = await t.dbs.reader
      .selectFrom('zap_participants')
      .select(['pubkey', 'profiled', 'trusted'])
      .orderBy('pubkey')
      .execute();
    expect(rows.map((r) => [Number.parseInt(r.pubkey, 16), r.profiled, r.trusted])).toEqual([
      [1, true, true],
      [11, true, true],
      [21, true, false],
      [22, true, false],
      [31, false, false],
    ]);
    await t.dbs.writer
      .updateTable('client_users')
      .set({ trusted: true })
      .where('client', '=', 'amethyst')
      .where('pubkey', '=', key(22))
      .execute();
    expect((await runScheduler(t.ctx, { now: minutes(130) })).error).toBeUndefined();
    const s = await latest(t, '24h');
    expect(s.clients.by_users.find((c) => c.client === 'amethyst')?.users_tiers.trusted).toBe(2);
  });
});

describe('without trust seeds', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext('postgres');
    await seedGraph(t.dbs.writer);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('computes no trust and reports the trusted figures as null', async () => {
    expect((await runScheduler(t.ctx, { now: minutes(0) })).error).toBeUndefined();
    expect(await t.dbs.reader.selectFrom('trust_runs').select('id').execute()).toHaveLength(0);
    const s = await latest(t, '7d');
    expect(s.overview.user_tiers).toEqual({
      active: { keys: 15, profiled: 11, trusted: null },
      new: { keys: 10, profiled: 6, trusted: null },
      trust_computed_at: null,
    });
  });
});
