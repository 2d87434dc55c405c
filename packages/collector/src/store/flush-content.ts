import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { CounterBuffer } from '../aggregate/counter-buffer.js';
import { chunkRows } from './chunks.js';

type Tx = Kysely<Database>;

/** Long-form articles and latest replaceable events (zap sums and participants: `flushZaps`). */
export async function flushContent(tx: Tx, buffer: CounterBuffer): Promise<void> {
  const articles = [...buffer.articles.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  for (const chunk of chunkRows(articles, 7)) {
    await tx
      .insertInto('articles')
      .values(
        chunk.map((r) => ({
          pubkey: r.pubkey,
          d_tag: r.dTag,
          first_seen_at: new Date(r.first),
          last_seen_at: new Date(r.last),
          latest_created_at: new Date(r.latestCreatedAt),
          versions: r.events,
          latest_event_id: r.latestEventId || null,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['pubkey', 'd_tag']).doUpdateSet({
          first_seen_at: sql`least(articles.first_seen_at, excluded.first_seen_at)`,
          last_seen_at: sql`greatest(articles.last_seen_at, excluded.last_seen_at)`,
          latest_created_at: sql`greatest(articles.latest_created_at, excluded.latest_created_at)`,
          versions: sql`articles.versions + excluded.versions`,
          // The latest version's id (NIP-01: newest created_at, ties to the lowest id).
          latest_event_id: sql`case when excluded.latest_created_at > articles.latest_created_at
            or (excluded.latest_created_at = articles.latest_created_at
                and (articles.latest_event_id is null or excluded.latest_event_id < articles.latest_event_id))
            then excluded.latest_event_id else articles.latest_event_id end`,
        }),
      )
      .execute();
  }

  const replaceable = [...buffer.replaceable.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, r]) => r);
  for (const chunk of chunkRows(replaceable, 4)) {
    await tx
      .insertInto('replaceable_events')
      .values(
        chunk.map((r) => ({
          kind: r.kind,
          pubkey: r.pubkey,
          event_id: r.eventId,
          created_at: new Date(r.createdAt),
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['kind', 'pubkey'])
          .doUpdateSet({
            event_id: sql`excluded.event_id`,
            created_at: sql`excluded.created_at`,
            updated_at: sql`now()`,
          })
          // NIP-01: newer created_at wins; on a tie the lower id.
          .where((eb) =>
            eb.or([
              eb('excluded.created_at', '>', eb.ref('replaceable_events.created_at')),
              eb.and([
                eb('excluded.created_at', '=', eb.ref('replaceable_events.created_at')),
                eb('excluded.event_id', '<', eb.ref('replaceable_events.event_id')),
              ]),
            ]),
          ),
      )
      .execute();
  }
}
