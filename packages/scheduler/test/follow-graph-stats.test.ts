import type { Database } from '@nostr-info/shared/db';
import { type FullSnapshot, fullSnapshotSchema, METHODOLOGY_VERSION } from '@nostr-info/shared/stats';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduler } from '../src/scheduler.js';
import { GRAPH_STATS_KEPT } from '../src/trust/graph-stats-store.js';
import { runTrustIfDue, trustSettings } from '../src/trust/run-trust.js';
import { createTestContext, type TestContext } from './context.js';
import { NOW } from './fixture.js';

// A hand-built follow graph, stored as the collector stores it, with the answers worked out by hand.
//   lists (follows, published): 1 → 2 3 4 (1 h ago), 2 → 1 3 (3 days), 3 → 1 2 (40 days),
//   4 → 1 (100 days), 5 → 1 2 3 4 (2 h), 6 → nobody (10 days).
//   12 follows; returned: 1↔2, 1↔3, 1↔4, 2↔3 (8 of 12); 5's follows are not returned.
//   followers: 1 ← 2 3 4 5 (4), 2 ← 1 3 5 (3), 3 ← 1 2 5 (3), 4 ← 1 5 (2); 5 and 6 have none.
//   Seed 1: 1-4 are trusted; 5 and 6, whom nobody follows, are not.

const key = (n: number) => n.toString(16).padStart(64, '0');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const LISTS: Record<number, { follows: number[]; at: Date }> = {
  1: { follows: [2, 3, 4], at: hoursAgo(1) },
  2: { follows: [1, 3], at: hoursAgo(3 * 24) },
  3: { follows: [1, 2], at: hoursAgo(40 * 24) },
  4: { follows: [1], at: hoursAgo(100 * 24) },
  5: { follows: [1, 2, 3, 4], at: hoursAgo(2) },
  6: { follows: [], at: hoursAgo(10 * 24) },
};

async function seedGraph(db: Kysely<Database>): Promise<void> {
  // Ids far from the keys' numbers, so a mix-up of node id and key would show.
  await db
    .insertInto('pubkey_ids')
    .values(Object.keys(LISTS).map((n) => ({ id: 100 + Number(n), pubkey: key(Number(n)) })))
    .execute();
  await db
    .insertInto('follow_lists')
    .values(
      Object.entries(LISTS).map(([n, { follows, at }]) => ({
        follower_id: 100 + Number(n),
        event_id: key(Number(n)),
        created_at: at,
        followees: follows.map((f) => 100 + f),
      })),
    )
    .execute();
}

const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000);

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

const GRAPH = {
  lists: 6,
  edges: 12,
  followers: {
    followed_keys: 4,
    buckets: [
      { min: 1, max: 1, keys: 0 },
      { min: 2, max: 9, keys: 4 },
      { min: 10, max: 99, keys: 0 },
      { min: 100, max: 999, keys: 0 },
      { min: 1000, max: 9999, keys: 0 },
      { min: 10000, max: null, keys: 0 },
    ],
    // Followers of the followed keys: 2, 3, 3, 4.
    median: 3,
    p90: 4,
    max: 4,
  },
  mutual_pct: 66.67,
};

// NOW is 2026-11-24 12:30: 24h from 11-23 12:30, 7d from 11-17 13:00, 30d from 10-26, 90d from 08-27.
const RANGES = {
  // Lists of 3 (1) and 4 (5).
  '24h': { lists_published: 2, follows_per_list: { median: 3, p90: 4, mean: 3.5 } },
  // And 2 (2).
  '7d': { lists_published: 3, follows_per_list: { median: 3, p90: 4, mean: 3 } },
  // And 0 (6).
  '30d': { lists_published: 4, follows_per_list: { median: 2, p90: 4, mean: 2.3 } },
  // And 2 (3).
  '90d': { lists_published: 5, follows_per_list: { median: 2, p90: 4, mean: 2.2 } },
  // And 1 (4).
  all: { lists_published: 6, follows_per_list: { median: 2, p90: 4, mean: 2 } },
};

describe.each(['postgres', 'pglite'] as const)('follow-graph statistics on %s', (backend) => {
  let t: TestContext;
  let scores: Map<string, number>;

  beforeAll(async () => {
    t = await createTestContext(backend, {
      env: { TRUST_SEEDS: key(1), TRUST_MIN_SCORE: '0.01', TRUST_INTERVAL_SECONDS: '3600' },
    });
    await seedGraph(t.dbs.writer);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows null figures and no keys before the first trust computation', async () => {
    expect((await runScheduler(t.ctx, { now: () => minutes(0) })).error).toBeUndefined();
    const s = await latest(t, '7d');
    expect(s.follow_graph).toEqual({
      range: '7d',
      computed_at: minutes(0).toISOString(),
      trust_computed_at: null,
      lists_published: null,
      follows_per_list: null,
      lists: null,
      edges: null,
      followers: null,
      mutual_pct: null,
      top_trusted: [],
    });
  });

  it('stores the statistics of the graph with the trust computation, keys by pubkey', async () => {
    const trusted = await t.dbs.reader.selectFrom('trusted_pubkeys').select(['pubkey', 'score']).execute();
    scores = new Map(trusted.map((r) => [r.pubkey, r.score]));
    expect([...scores.keys()].sort()).toEqual([1, 2, 3, 4].map(key));
    const rows = await t.dbs.reader.selectFrom('follow_graph_stats').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(new Date(rows[0]?.computed_at ?? 0).toISOString()).toBe(NOW.toISOString());
    expect(rows[0]?.methodology_version).toBe(METHODOLOGY_VERSION);
    expect(rows[0]?.body).toEqual({
      ranges: RANGES,
      ...GRAPH,
      // Most followers first; 2 and 3 tie at 3, the lower id first.
      top_trusted: [
        { pubkey: key(1), followers: 4, score: scores.get(key(1)) },
        { pubkey: key(2), followers: 3, score: scores.get(key(2)) },
        { pubkey: key(3), followers: 3, score: scores.get(key(3)) },
        { pubkey: key(4), followers: 2, score: scores.get(key(4)) },
      ],
    });
  });

  it('puts them in every range of the next snapshot', async () => {
    expect((await runScheduler(t.ctx, { now: () => minutes(5) })).error).toBeUndefined();
    for (const [range, figures] of Object.entries(RANGES)) {
      const s = await latest(t, range);
      expect(s.follow_graph).toEqual({
        range,
        computed_at: minutes(5).toISOString(),
        trust_computed_at: NOW.toISOString(),
        ...figures,
        ...GRAPH,
        top_trusted: [1, 2, 3, 4].map((n) => ({
          pubkey: key(n),
          followers: n === 1 ? 4 : n === 4 ? 2 : 3,
          score: scores.get(key(n)),
        })),
      });
    }
  });

  it(`keeps the newest ${GRAPH_STATS_KEPT} computations`, async () => {
    const settings = trustSettings(t.ctx.env);
    for (let i = 1; i <= GRAPH_STATS_KEPT + 1; i++) {
      const result = await runTrustIfDue(t.dbs, settings, { now: minutes(61 * i), log: t.ctx.logger });
      expect(result.ran).toBe(true);
    }
    const rows = await t.dbs.reader
      .selectFrom('follow_graph_stats')
      .select('computed_at')
      .orderBy('computed_at', 'desc')
      .execute();
    expect(rows.map((r) => new Date(r.computed_at).toISOString())).toEqual(
      Array.from({ length: GRAPH_STATS_KEPT }, (_, i) =>
        minutes(61 * (GRAPH_STATS_KEPT + 1 - i)).toISOString(),
      ),
    );
  });
});
