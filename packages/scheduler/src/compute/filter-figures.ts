import type { Database } from '@nostr-info/shared/db';
import { OFF_FILTER_REASONS, type OffFilterReason } from '@nostr-info/shared/nostr';
import type { EventsSection } from '@nostr-info/shared/stats';
import { type Kysely, sql } from 'kysely';
import type { RangeWindow } from './range-window.js';
import { windowBounds } from './window-bounds.js';

/** The kind stored for a deletion whose `k` tags name none (shown as `unknown`). */
const UNKNOWN_KIND = -1;

/** What is kept out of the network figures in one range, and what deletions take out of them. */
export interface FilterFigures {
  /** Off-filter copies per relay id (all reasons). */
  offFilterByRelay: Map<number, number>;
  offFilter: EventsSection['off_filter'];
  late: EventsSection['late'];
  future: EventsSection['future'];
  /** Deletions by the kinds their `k` tags name (`unknown`: none). */
  deletionsByKind: Record<string, number>;
  /** Articles that `articles` counts (published or updated in range) and their author deleted. */
  articlesDeleted: number;
}

/**
 * Reads off-filter copies, late and future events, deletions by kind and deleted articles of one
 * range (in parallel on the reader's pool, inside the run's consistent read). `all` reads the day
 * tables whole: they hold rows only for what was kept out, a small fraction of the traffic.
 *
 * An article is deleted when a deletion from its own author covers its latest version: an `a`
 * request created at or after that version, or an `e` request naming its id. Requests are kept
 * apart from the articles and joined here, so the order in which a deletion and its article
 * arrived does not matter.
 */
export async function readFilterFigures(db: Kysely<Database>, window: RangeWindow): Promise<FilterFigures> {
  const { time, rows } = windowBounds(window);
  const [off, untimely, deletions, articles] = await Promise.all([
    sql<{ relay_id: number; reason: string; copies: number }>`
      select relay_id, reason, sum(copies)::bigint as copies from ${rows('offFilter')}
       group by relay_id, reason`.execute(db),
    sql<{ kind: number; late: number; future: number }>`
      select kind, sum(late)::bigint as late, sum(future)::bigint as future from ${rows('untimely')}
       group by kind`.execute(db),
    sql<{ kind: number; deletions: number }>`
      select kind, sum(deletions)::bigint as deletions from ${rows('deletions')}
       group by kind`.execute(db),
    // Two joins whose keys `union` counts once (an article deleted both ways is one): with the two
    // tests as `exists … or exists …` the planner ran both per article in the window, which
    // cost most of a range's filter figures even with no deletion stored.
    sql<{ deleted: number }>`
      select count(*)::bigint as deleted from (
        select a.pubkey, a.d_tag from articles a
          join article_deletions d
            on d.pubkey = a.pubkey and d.d_tag = a.d_tag and d.deleted_until >= a.latest_created_at
         where a.last_seen_at >= ${time}
        union
        select a.pubkey, a.d_tag from articles a
          join event_deletions e on e.event_id = a.latest_event_id and e.pubkey = a.pubkey
         where a.last_seen_at >= ${time}) x`.execute(db),
  ]);
  const byReason = Object.fromEntries(OFF_FILTER_REASONS.map((r) => [r, 0])) as Record<
    OffFilterReason,
    number
  >;
  const offFilterByRelay = new Map<number, number>();
  for (const r of off.rows) {
    if (r.reason in byReason) byReason[r.reason as OffFilterReason] += Number(r.copies);
    offFilterByRelay.set(r.relay_id, (offFilterByRelay.get(r.relay_id) ?? 0) + Number(r.copies));
  }
  const late: FilterFigures['late'] = { total: 0, by_kind: {} };
  const future: FilterFigures['future'] = { total: 0, by_kind: {} };
  for (const r of untimely.rows) {
    for (const [figure, n] of [
      [late, Number(r.late)],
      [future, Number(r.future)],
    ] as const) {
      if (n <= 0) continue;
      figure.total += n;
      figure.by_kind[String(r.kind)] = n;
    }
  }
  const deletionsByKind: Record<string, number> = {};
  for (const r of deletions.rows) {
    if (Number(r.deletions) > 0)
      deletionsByKind[r.kind === UNKNOWN_KIND ? 'unknown' : String(r.kind)] = Number(r.deletions);
  }
  return {
    offFilterByRelay,
    offFilter: { total: sum(Object.values(byReason)), by_reason: byReason },
    late,
    future,
    deletionsByKind,
    articlesDeleted: Number(articles.rows[0]?.deleted ?? 0),
  };
}

/** The events section's figures of what was kept out, and of deletions (total: kind 5 events). */
export function eventsFilterFields(
  f: FilterFigures,
  byKind: Record<string, number>,
): Pick<EventsSection, 'late' | 'future' | 'off_filter' | 'deletions'> {
  return {
    late: f.late,
    future: f.future,
    off_filter: f.offFilter,
    deletions: { total: byKind['5'] ?? 0, by_kind: f.deletionsByKind },
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
