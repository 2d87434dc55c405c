import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import { dayOf } from '../aggregate/buckets.js';
import type { CounterBuffer } from '../aggregate/counter-buffer.js';
import type { DeletionKindRow, OffFilterRow, UntimelyRow } from '../aggregate/filter-counters.js';
import { chunkRows, sumBy } from './chunks.js';
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
 * hourly and daily, additive), and the deletion requests themselves (keeping the newest per
 * article, and each requested id once), so a deletion applies whichever arrives first.
 */
export async function flushFiltered(tx: Tx, buffer: CounterBuffer): Promise<void> {
  const f = buffer.filtered;
  const off = sumBy(f.offFilter.values(), (r) => `${r.hour}|${r.relayId}|${r.reason}`, addCopies);
  await addCounters(tx, {
    table: 'relay_off_filter_hourly',
    keys: ['hour', 'relay_id', 'reason'],
    counters: ['copies'],
    rows: off.map((r) => ({ hour: r.hour, relay_id: r.relayId, reason: r.reason, copies: r.copies })),
  });
  const offDaily = sumBy(
    off.map((r) => ({ ...r, hour: dayOf(r.hour) })),
    (r) => `${r.hour}|${r.relayId}|${r.reason}`,
    addCopies,
  );
  await addCounters(tx, {
    table: 'relay_off_filter_daily',
    keys: ['day', 'relay_id', 'reason'],
    counters: ['copies'],
    rows: offDaily.map((r) => ({ day: r.hour, relay_id: r.relayId, reason: r.reason, copies: r.copies })),
  });

  const untimely = sumBy(f.untimely.values(), (r) => `${r.hour}|${r.kind}`, addUntimely);
  await addCounters(tx, {
    table: 'untimely_events_hourly',
    keys: ['hour', 'kind'],
    counters: ['late', 'future'],
    rows: untimely.map((r) => ({ hour: r.hour, kind: r.kind, late: r.late, future: r.future })),
  });
  const untimelyDaily = sumBy(
    untimely.map((r) => ({ ...r, hour: dayOf(r.hour) })),
    (r) => `${r.hour}|${r.kind}`,
    addUntimely,
  );
  await addCounters(tx, {
    table: 'untimely_events_daily',
    keys: ['day', 'kind'],
    counters: ['late', 'future'],
    rows: untimelyDaily.map((r) => ({ day: r.hour, kind: r.kind, late: r.late, future: r.future })),
  });

  const deletions = sumBy(f.deletions.values(), (r) => `${r.hour}|${r.kind}`, addDeletions);
  await addCounters(tx, {
    table: 'deletions_hourly',
    keys: ['hour', 'kind'],
    counters: ['deletions'],
    rows: deletions.map((r) => ({ hour: r.hour, kind: r.kind, deletions: r.deletions })),
  });
  const deletionsDaily = sumBy(
    deletions.map((r) => ({ ...r, hour: dayOf(r.hour) })),
    (r) => `${r.hour}|${r.kind}`,
    addDeletions,
  );
  await addCounters(tx, {
    table: 'deletions_daily',
    keys: ['day', 'kind'],
    counters: ['deletions'],
    rows: deletionsDaily.map((r) => ({ day: r.hour, kind: r.kind, deletions: r.deletions })),
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
