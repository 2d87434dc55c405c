import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { CounterBuffer } from '../aggregate/counter-buffer.js';
import type { DeletionKindRow, OffFilterRow, UntimelyRow } from '../aggregate/filter-counters.js';
import { byBucket } from './bucket-rows.js';
import { chunkRows } from './chunks.js';
import { addCounters } from './upsert-counters.js';

type Tx = Kysely<Database>;

const addCopies = (a: OffFilterRow, b: OffFilterRow) => {
  a.copies += b.copies;
};
const addUntimely = (a: UntimelyRow, b: UntimelyRow) => {
  a.late += b.late;
  a.future += b.future;
};
const addDeletions = (a: DeletionKindRow, b: DeletionKindRow) => {
  a.deletions += b.deletions;
};
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Off-filter copies by relay and reason, late and future events by kind, deletions by kind (each
 * per 5-minute slot, hour and day, additive), and the deletion requests themselves (keeping the
 * newest per article, and each requested id once), so a deletion applies whichever arrives first.
 */
export async function flushFiltered(tx: Tx, buffer: CounterBuffer): Promise<void> {
  const f = buffer.filtered;
  const off = byBucket(f.offFilter.values(), (r) => `${r.relayId}|${r.reason}`, addCopies);
  const offValues = (r: OffFilterRow) => ({ relay_id: r.relayId, reason: r.reason, copies: r.copies });
  await addCounters(tx, {
    table: 'relay_off_filter_hourly',
    keys: ['hour', 'relay_id', 'reason'],
    counters: ['copies'],
    rows: off.hours.map((r) => ({ hour: r.hour, ...offValues(r) })),
  });
  await addCounters(tx, {
    table: 'relay_off_filter_5m',
    keys: ['bucket', 'relay_id', 'reason'],
    counters: ['copies'],
    rows: off.slots.map((r) => ({ bucket: r.slot, ...offValues(r) })),
  });
  await addCounters(tx, {
    table: 'relay_off_filter_daily',
    keys: ['day', 'relay_id', 'reason'],
    counters: ['copies'],
    rows: off.days.map((r) => ({ day: r.day, ...offValues(r) })),
  });

  const untimely = byBucket(f.untimely.values(), (r) => String(r.kind), addUntimely);
  const untimelyValues = (r: UntimelyRow) => ({ kind: r.kind, late: r.late, future: r.future });
  await addCounters(tx, {
    table: 'untimely_events_hourly',
    keys: ['hour', 'kind'],
    counters: ['late', 'future'],
    rows: untimely.hours.map((r) => ({ hour: r.hour, ...untimelyValues(r) })),
  });
  await addCounters(tx, {
    table: 'untimely_events_5m',
    keys: ['bucket', 'kind'],
    counters: ['late', 'future'],
    rows: untimely.slots.map((r) => ({ bucket: r.slot, ...untimelyValues(r) })),
  });
  await addCounters(tx, {
    table: 'untimely_events_daily',
    keys: ['day', 'kind'],
    counters: ['late', 'future'],
    rows: untimely.days.map((r) => ({ day: r.day, ...untimelyValues(r) })),
  });

  const deletions = byBucket(f.deletions.values(), (r) => String(r.kind), addDeletions);
  const deletionValues = (r: DeletionKindRow) => ({ kind: r.kind, deletions: r.deletions });
  await addCounters(tx, {
    table: 'deletions_hourly',
    keys: ['hour', 'kind'],
    counters: ['deletions'],
    rows: deletions.hours.map((r) => ({ hour: r.hour, ...deletionValues(r) })),
  });
  await addCounters(tx, {
    table: 'deletions_5m',
    keys: ['bucket', 'kind'],
    counters: ['deletions'],
    rows: deletions.slots.map((r) => ({ bucket: r.slot, ...deletionValues(r) })),
  });
  await addCounters(tx, {
    table: 'deletions_daily',
    keys: ['day', 'kind'],
    counters: ['deletions'],
    rows: deletions.days.map((r) => ({ day: r.day, ...deletionValues(r) })),
  });

  // Keys are distinct in the buffer's maps; sorted for one lock order across replicas.
  const articles = [...f.articleDeletions.entries()].sort(([a], [b]) => byText(a, b)).map(([, r]) => r);
  for (const chunk of chunkRows(articles, 3)) {
    await tx
      .insertInto('article_deletions')
      .values(
        chunk.map((r) => ({ pubkey: r.pubkey, d_tag: r.dTag, deleted_until: new Date(r.deletedUntil) })),
      )
      .onConflict((oc) =>
        oc.columns(['pubkey', 'd_tag']).doUpdateSet({
          deleted_until: sql`greatest(article_deletions.deleted_until, excluded.deleted_until)`,
        }),
      )
      .execute();
  }
  const events = [...f.eventDeletions.entries()].sort(([a], [b]) => byText(a, b)).map(([, r]) => r);
  for (const chunk of chunkRows(events, 2)) {
    await tx
      .insertInto('event_deletions')
      .values(chunk.map((r) => ({ event_id: r.eventId, pubkey: r.pubkey })))
      .onConflict((oc) => oc.columns(['event_id', 'pubkey']).doNothing())
      .execute();
  }
}
