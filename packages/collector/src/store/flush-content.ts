import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import { dayOf } from '../aggregate/buckets.js';
import type { CounterBuffer, ZapRow } from '../aggregate/counter-buffer.js';
import { chunkRows, sumBy } from './chunks.js';
import { addCounters } from './upsert-counters.js';

type Tx = Kysely<Database>;

function addZap(a: ZapRow, b: ZapRow): void {
  a.zaps += b.zaps;
  a.sats += b.sats;
  a.extraMsats += b.extraMsats;
  a.flagged += b.flagged;
  a.invalidBolt11 += b.invalidBolt11;
}

/** Zaps, zap participants, long-form articles and latest replaceable events. */
export async function flushContent(tx: Tx, buffer: CounterBuffer): Promise<void> {
  const zaps = sumBy(buffer.zaps.values(), (r) => r.hour, addZap);
  const zapValues = (r: ZapRow) => ({
    zaps: r.zaps,
    sats: r.sats,
    extra_msats: r.extraMsats,
    flagged: r.flagged,
    invalid_bolt11: r.invalidBolt11,
  });
  const zapCounters = ['zaps', 'sats', 'extra_msats', 'flagged', 'invalid_bolt11'] as const;
  await addCounters(tx, {
    table: 'zaps_hourly',
    keys: ['hour'],
    counters: zapCounters,
    rows: zaps.map((r) => ({ hour: r.hour, ...zapValues(r) })),
  });
  const daily = sumBy(
    zaps.map((r) => ({ ...r, hour: dayOf(r.hour) })),
    (r) => r.hour,
    addZap,
  );
  await addCounters(tx, {
    table: 'zaps_daily',
    keys: ['day'],
    counters: zapCounters,
    rows: daily.map((r) => ({ day: r.hour, ...zapValues(r) })),
  });

  const participants = [...buffer.zapParticipants.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, r]) => r);
  for (const chunk of chunkRows(participants, 7)) {
    await tx
      .insertInto('zap_participants')
      .values(
        chunk.map((r) => ({
          pubkey: r.pubkey,
          role: r.role,
          first_seen_at: new Date(r.first),
          last_seen_at: new Date(r.last),
          zaps: r.events,
          sats: r.sats,
          extra_msats: r.extraMsats,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['role', 'pubkey']).doUpdateSet({
          first_seen_at: sql`least(zap_participants.first_seen_at, excluded.first_seen_at)`,
          last_seen_at: sql`greatest(zap_participants.last_seen_at, excluded.last_seen_at)`,
          zaps: sql`zap_participants.zaps + excluded.zaps`,
          sats: sql`zap_participants.sats + excluded.sats`,
          extra_msats: sql`zap_participants.extra_msats + excluded.extra_msats`,
        }),
      )
      .execute();
  }

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
