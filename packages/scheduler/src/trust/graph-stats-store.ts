import type { Database } from '@nostr-info/shared/db';
import { METHODOLOGY_VERSION } from '@nostr-info/shared/stats';
import { sql, type Transaction } from 'kysely';
import type { GraphStats } from './graph-stats.js';

/** Rows of `follow_graph_stats` kept: the newest few, for a look back after a bad computation. */
export const GRAPH_STATS_KEPT = 5;

/**
 * Stores `stats` as computed at `now`, mapping the top trusted keys' node ids to pubkeys in the
 * statement itself (as the trusted keys are written), and drops all but the newest
 * `GRAPH_STATS_KEPT` rows. Runs inside the trust computation's writer transaction.
 */
export async function writeGraphStats(
  trx: Transaction<Database>,
  stats: GraphStats,
  now: Date,
): Promise<void> {
  const { top_trusted: top, ...figures } = stats;
  const ids = `{${top.map((t) => t.id).join(',')}}`;
  const followers = `{${top.map((t) => t.followers).join(',')}}`;
  const scores = `{${top.map((t) => t.score).join(',')}}`;
  await sql`
    insert into follow_graph_stats (computed_at, methodology_version, body)
    select ${now}, ${METHODOLOGY_VERSION}, ${JSON.stringify(figures)}::jsonb || jsonb_build_object(
      'top_trusted', coalesce((
        select jsonb_agg(
                 jsonb_build_object('pubkey', p.pubkey, 'followers', t.followers, 'score', t.score)
                 order by t.n)
          from unnest(${ids}::integer[], ${followers}::integer[], ${scores}::double precision[])
               with ordinality as t(id, followers, score, n)
          join pubkey_ids p on p.id = t.id), '[]'::jsonb))`.execute(trx);
  await sql`
    delete from follow_graph_stats
     where computed_at < (select computed_at from follow_graph_stats
                           order by computed_at desc offset ${GRAPH_STATS_KEPT - 1} limit 1)`.execute(trx);
}
