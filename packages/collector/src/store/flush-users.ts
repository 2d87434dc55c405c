import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import { dayOf, hourOf } from '../aggregate/buckets.js';
import type { CounterBuffer } from '../aggregate/counter-buffer.js';
import { bump, chunkRows, sumBy } from './chunks.js';
import { addCounters } from './upsert-counters.js';

type Tx = Kysely<Database>;

const byKey = <T>(rows: Iterable<T>, key: (r: T) => string): T[] =>
  [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/**
 * Users: `pubkeys`, `active_users(_hourly)` and the distinct counts in `user_activity_*`.
 * Distinct counts increase by the rows this statement actually inserted (`xmax = 0` marks an
 * inserted row, a conflict updates instead), so replicas that see the same pubkey in the same
 * bucket still count it once: the row lock serialises them and only one inserts.
 */
export async function flushUsers(tx: Tx, buffer: CounterBuffer): Promise<void> {
  const newHourly = new Map<string, number>();
  const newDaily = new Map<string, number>();
  const activeHourlyCounts = new Map<string, number>();
  const activeDailyCounts = new Map<string, number>();

  const pubkeys = byKey(buffer.pubkeys.values(), (r) => r.pubkey);
  const firstOf = new Map(pubkeys.map((r) => [r.pubkey, r.first]));
  for (const chunk of chunkRows(pubkeys, 4)) {
    const inserted = await tx
      .insertInto('pubkeys')
      .values(
        chunk.map((r) => ({
          pubkey: r.pubkey,
          first_seen_at: new Date(r.first),
          last_seen_at: new Date(r.last),
          events: r.events,
        })),
      )
      .onConflict((oc) =>
        oc.column('pubkey').doUpdateSet({
          first_seen_at: sql`least(pubkeys.first_seen_at, excluded.first_seen_at)`,
          last_seen_at: sql`greatest(pubkeys.last_seen_at, excluded.last_seen_at)`,
          events: sql`pubkeys.events + excluded.events`,
        }),
      )
      .returning(['pubkey', sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    for (const row of inserted) {
      const first = firstOf.get(row.pubkey);
      if (!row.inserted || first === undefined) continue;
      const hour = hourOf(first);
      bump(newHourly, hour);
      bump(newDaily, dayOf(hour));
    }
  }

  const hourly = byKey(buffer.activeHourly.values(), (r) => `${r.hour}|${r.pubkey}`);
  for (const chunk of chunkRows(hourly, 2)) {
    const inserted = await tx
      .insertInto('active_users_hourly')
      .values(chunk.map((r) => ({ hour: r.hour, pubkey: r.pubkey })))
      .onConflict((oc) => oc.columns(['hour', 'pubkey']).doNothing())
      .returning('hour')
      .execute();
    for (const row of inserted) bump(activeHourlyCounts, new Date(row.hour).toISOString());
  }

  const daily = sumBy(
    hourly.map((r) => ({ day: dayOf(r.hour), pubkey: r.pubkey, events: r.events })),
    (r) => `${r.day}|${r.pubkey}`,
    (a, b) => {
      a.events += b.events;
    },
  );
  for (const chunk of chunkRows(daily, 3)) {
    const rows = await tx
      .insertInto('active_users')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['day', 'pubkey']).doUpdateSet({ events: sql`active_users.events + excluded.events` }),
      )
      .returning(['day', sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    for (const row of rows) if (row.inserted) bump(activeDailyCounts, row.day);
  }

  const hours = new Set([...newHourly.keys(), ...activeHourlyCounts.keys()]);
  const hourRows = [...hours].sort().map((hour) => ({
    hour,
    active_users: activeHourlyCounts.get(hour) ?? 0,
    new_users: newHourly.get(hour) ?? 0,
  }));
  const activityCounters = ['active_users', 'new_users'] as const;
  await addCounters(tx, {
    table: 'user_activity_hourly',
    keys: ['hour'],
    counters: activityCounters,
    rows: hourRows,
  });
  const days = new Set([...newDaily.keys(), ...activeDailyCounts.keys()]);
  const dayRows = [...days].sort().map((day) => ({
    day,
    active_users: activeDailyCounts.get(day) ?? 0,
    new_users: newDaily.get(day) ?? 0,
  }));
  await addCounters(tx, {
    table: 'user_activity_daily',
    keys: ['day'],
    counters: activityCounters,
    rows: dayRows,
  });
}
