import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import { replaceableOf } from '../aggregate/aggregator.js';
import { CounterBuffer } from '../aggregate/counter-buffer.js';
import type { NostrEvent } from '../protocol/event.js';
import { flushContent } from '../store/flush-content.js';
import { flushFollows } from '../store/flush-follows.js';
import { moveFirstSeen } from './first-seen.js';

/** One history page of one relay, checked, and where the relay's reading stands after it. */
export interface HistoryPage {
  relayUrl: string;
  /** The run's lower bound (unix seconds). */
  since: number;
  events: readonly NostrEvent[];
  rejected: number;
  /** Everything from here (unix seconds) up to the first page is read; null when nothing was. */
  reachedAt: number | null;
  /** The relay's history is read down to `since` (or as far as it would go: `truncated`). */
  done: boolean;
  truncated: boolean;
}

/** What a page moved: keys first seen, keys whose first-seen time went back. */
export interface PageResult {
  inserted: number;
  moved: number;
}

/**
 * Writes a page in ONE transaction with the relay's progress: first-seen times (`moveFirstSeen`),
 * latest profiles, follow lists and relay lists through the collector's own store paths (newest
 * wins, so a page written twice, or older than what is stored, changes nothing), and the progress
 * row, so a run stopped at any point resumes after the last page that landed.
 */
export async function writeHistoryPage(db: Kysely<Database>, page: HistoryPage): Promise<PageResult> {
  const buffer = new CounterBuffer();
  const earliest = new Map<string, number>();
  for (const event of page.events) {
    buffer.addReplaceable(replaceableOf(event));
    const at = event.created_at * 1000;
    if (at < (earliest.get(event.pubkey) ?? Number.POSITIVE_INFINITY)) earliest.set(event.pubkey, at);
  }
  const reached = page.reachedAt === null ? null : new Date(page.reachedAt * 1000);
  return db.transaction().execute(async (tx) => {
    const result = await moveFirstSeen(tx, earliest);
    await flushContent(tx, buffer);
    await flushFollows(tx, buffer);
    await tx
      .insertInto('backfill_progress')
      .values({
        relay_url: page.relayUrl,
        since: new Date(page.since * 1000),
        reached_at: reached,
        done: page.done,
        truncated: page.truncated,
        pages: 1,
        events: page.events.length,
        rejected: page.rejected,
      })
      .onConflict((oc) =>
        oc.column('relay_url').doUpdateSet({
          since: sql`excluded.since`,
          reached_at: sql`coalesce(excluded.reached_at, backfill_progress.reached_at)`,
          done: sql`excluded.done`,
          truncated: sql`backfill_progress.truncated or excluded.truncated`,
          pages: sql`backfill_progress.pages + 1`,
          events: sql`backfill_progress.events + excluded.events`,
          rejected: sql`backfill_progress.rejected + excluded.rejected`,
          updated_at: sql`now()`,
        }),
      )
      .execute();
    return result;
  });
}
