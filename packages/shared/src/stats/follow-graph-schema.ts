import { z } from 'zod';
import { STATS_RANGES } from './ranges.js';

/**
 * The `follow_graph` section's body (without `range` and `computed_at`, which `snapshot-schema.ts`
 * adds like every section's): statistics of the stored follow graph, computed with the web of
 * trust (hourly by default) and read by every snapshot run. Definitions: docs/methodology.md,
 * "The follow graph".
 */

const count = z.number().int().nonnegative();
const pct = z.number().min(0).max(100);
const isoTime = z.iso.datetime({ offset: true });

/** The follower-count buckets of `followers.buckets` (the last is open: 10,000 followers or more). */
export const FOLLOWER_BUCKETS = [
  { min: 1, max: 1 },
  { min: 2, max: 9 },
  { min: 10, max: 99 },
  { min: 100, max: 999 },
  { min: 1_000, max: 9_999 },
  { min: 10_000, max: null },
] as const satisfies readonly { min: number; max: number | null }[];

const followsPerList = z
  .object({
    median: count.describe('nearest-rank median of the follows per list'),
    p90: count.describe('nearest-rank 90th percentile of the follows per list'),
    mean: z.number().nonnegative().describe('mean follows per list, one decimal'),
  })
  .describe('follows per list among the lists counted in lists_published');

const followers = z
  .object({
    followed_keys: count.describe('keys followed by at least one stored list'),
    buckets: z
      .array(
        z.object({
          min: count.describe('fewest followers in the bucket'),
          max: count.nullable().describe('most followers in the bucket; null: no upper bound'),
          keys: count.describe('followed keys with that many followers'),
        }),
      )
      .describe('followed keys by follower count: 1, 2–9, 10–99, 100–999, 1,000–9,999, 10,000 or more'),
    median: count.nullable().describe('nearest-rank median followers of a followed key; null: none'),
    p90: count.nullable().describe('nearest-rank 90th percentile of followers of a followed key; null: none'),
    max: count.nullable().describe('most followers of any key; null: none'),
  })
  .describe('the follower-count distribution over followed keys, graph-wide');

const topTrusted = z
  .array(
    z.object({
      pubkey: z.string().regex(/^[0-9a-f]{64}$/),
      followers: count.describe('stored lists that follow this key'),
      score: z.number().nonnegative().describe('its web-of-trust score'),
    }),
  )
  .describe('the 100 trusted keys with the most followers, most first (ties: lower pubkey id first)');

const listFigures = {
  lists_published: count.describe(
    'stored follow lists whose created_at is in range (a list replaced since counts at its newest version only)',
  ),
  follows_per_list: followsPerList.nullable().describe('null when no list is counted'),
};

const graphFigures = {
  lists: count.describe('stored follow lists (one per key that published one)'),
  edges: count.describe('follows in the stored lists'),
  followers,
  mutual_pct: pct.describe('share of follows u→v where v also follows u, in percent'),
  top_trusted: topTrusted,
};

/**
 * What a trust computation stores in `follow_graph_stats.body`: the per-range list figures as of
 * its own clock, and the graph-wide ones.
 */
export const followGraphStatsBodySchema = z.object({
  ranges: z.record(z.enum(STATS_RANGES), z.object(listFigures)),
  ...graphFigures,
});
export type FollowGraphStatsBody = z.infer<typeof followGraphStatsBodySchema>;

/** The section's fields: every figure is null (`top_trusted` empty) while `trust_computed_at` is. */
export const followGraphFields = {
  trust_computed_at: isoTime
    .nullable()
    .describe(
      'the trust computation these figures are from: the graph and ranges as of then; null before the first one',
    ),
  lists_published: listFigures.lists_published.nullable(),
  follows_per_list: listFigures.follows_per_list,
  lists: graphFigures.lists.nullable(),
  edges: graphFigures.edges.nullable(),
  followers: followers.nullable(),
  mutual_pct: graphFigures.mutual_pct.nullable(),
  top_trusted: topTrusted,
};
