import type { Database } from '@nostr-info/shared/db';
import type { FollowGraphSection, FollowGraphStatsBody, StatsRange } from '@nostr-info/shared/stats';
import type { Kysely } from 'kysely';

/** The follow-graph statistics of the last trust computation, as stored. */
export interface StoredGraphStats {
  computedAt: Date;
  body: FollowGraphStatsBody;
}

/** The newest `follow_graph_stats` row; null before the first trust computation. */
export async function readGraphStats(db: Kysely<Database>): Promise<StoredGraphStats | null> {
  const row = await db
    .selectFrom('follow_graph_stats')
    .select(['computed_at', 'body'])
    .orderBy('computed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { computedAt: new Date(row.computed_at), body: row.body } : null;
}

/**
 * The `follow_graph` section of `range`: the stored figures of the last trust computation (its
 * ranges measured on its own clock). Every figure null and no top keys before the first one, or
 * when no trust seeds are configured (`trust` false), as the trusted user figures are.
 */
export function followGraphSection(
  base: { range: StatsRange; computed_at: string },
  stored: StoredGraphStats | null,
  trust: boolean,
): FollowGraphSection {
  if (!stored || !trust) {
    return {
      ...base,
      trust_computed_at: null,
      lists_published: null,
      follows_per_list: null,
      lists: null,
      edges: null,
      followers: null,
      mutual_pct: null,
      top_trusted: [],
    };
  }
  const { body } = stored;
  const inRange = body.ranges[base.range];
  return {
    ...base,
    trust_computed_at: stored.computedAt.toISOString(),
    lists_published: inRange.lists_published,
    follows_per_list: inRange.follows_per_list,
    lists: body.lists,
    edges: body.edges,
    followers: body.followers,
    mutual_pct: body.mutual_pct,
    top_trusted: body.top_trusted,
  };
}
