import { type Database, RELAY_HEALTH_COUNTERS } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { CounterBuffer, HealthRow, HeldRelay } from '../aggregate/counter-buffer.js';
import type { RelayStatusRow } from '../aggregate/counter-rows.js';
import { addHealth } from '../aggregate/counter-rows.js';
import { byBucket } from './bucket-rows.js';
import { chunkRows, sumBy } from './chunks.js';
import { readRelayListChanges, writeRelayListChanges } from './flush-relay-lists.js';
import { rolledUp, rolledUpThrough } from './rolled-up.js';
import { addCounters } from './upsert-counters.js';

type Tx = Kysely<Database>;

const healthValues = (r: HealthRow) => ({
  relay_id: r.relayId,
  connected_ms: Math.round(r.connectedMs),
  observed_ms: Math.round(r.observedMs),
  restricted_ms: Math.round(r.restrictedMs),
  connects: r.connects,
  disconnects: r.disconnects,
  errors: r.errors,
  open_latency_ms_sum: Math.round(r.openLatencyMsSum),
  open_latency_count: r.openLatencyCount,
  eose_latency_ms_sum: Math.round(r.eoseLatencyMsSum),
  eose_latency_count: r.eoseLatencyCount,
});

const COUNTERS = RELAY_HEALTH_COUNTERS;

const dateOrNull = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));
const roundOrNull = (n: number | undefined) => (n === undefined ? null : Math.round(n));

/**
 * Locks every `relays` row the flush will write, in id order, before writing any: this replica's
 * relays (status rows, held report) and the known relays among those discovered in relay lists
 * or whose author count changes (`listed`), which are mostly relays other replicas hold and write
 * in their own flushes. Flushes that took
 * them in different orders deadlocked (PostgreSQL aborts one; it is retried, but a busy network
 * made that routine). A relay first inserted by another flush meanwhile is locked where its
 * insert meets it, in URL order.
 */
async function lockRelayRows(tx: Tx, buffer: CounterBuffer, listed: Iterable<string>): Promise<void> {
  const ids = new Set<number>(buffer.relayStatus.keys());
  for (const r of buffer.held ?? []) ids.add(r.relayId);
  const urls = [...new Set([...buffer.discovered.keys(), ...listed])];
  if (urls.length > 0) {
    const known = await tx
      .selectFrom('relays')
      .select('id')
      .where('url', '=', sql<string>`any(${urls}::text[])`)
      .execute();
    for (const r of known) ids.add(r.id);
  }
  if (ids.size === 0) return;
  await tx
    .selectFrom('relays')
    .select('id')
    .where('id', '=', sql<number>`any(${[...ids]}::int[])`)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/**
 * Relay health counters (per 5-minute slot, hour and day; day rows of days already rolled up also
 * to the running totals), latest status, connection log lines, newly discovered relays and the
 * relay lists behind their author counts.
 */
export async function flushRelays(tx: Tx, buffer: CounterBuffer): Promise<void> {
  // Relay lists lock their authors' rows first: every flush takes those before any relays row.
  const lists = await readRelayListChanges(tx, buffer);
  await lockRelayRows(tx, buffer, lists.deltas.keys());
  const health = byBucket(buffer.health.values(), (r) => String(r.relayId), addHealth);
  await addCounters(tx, {
    table: 'relay_health_hourly',
    keys: ['hour', 'relay_id'],
    counters: COUNTERS,
    rows: health.hours.map((r) => ({ hour: r.hour, ...healthValues(r) })),
  });
  await addCounters(tx, {
    table: 'relay_health_5m',
    keys: ['bucket', 'relay_id'],
    counters: COUNTERS,
    rows: health.slots.map((r) => ({ bucket: r.slot, ...healthValues(r) })),
  });
  await addCounters(tx, {
    table: 'relay_health_daily',
    keys: ['day', 'relay_id'],
    counters: COUNTERS,
    rows: health.days.map((r) => ({ day: r.day, ...healthValues(r) })),
  });
  if (health.days.length > 0) {
    const late = rolledUp(health.days, await rolledUpThrough(tx));
    await addCounters(tx, {
      table: 'relay_health_totals',
      keys: ['relay_id'],
      counters: COUNTERS,
      rows: sumBy(late, (r) => String(r.relayId), addHealth).map(healthValues),
    });
  }

  if (buffer.held) await writeHeld(tx, buffer.held);
  await writeStatuses(tx, [...buffer.relayStatus.values()]);

  for (const chunk of chunkRows(buffer.relayLogs, 5)) {
    await tx
      .insertInto('relay_logs')
      .values(
        chunk.map((r) => ({
          relay_id: r.relayId,
          at: new Date(r.at),
          event: r.event,
          class: r.class,
          message: r.message,
        })),
      )
      .execute();
  }

  const discovered = [...buffer.discovered.values()].sort((a, b) => (a.url < b.url ? -1 : 1));
  for (const chunk of chunkRows(discovered, 4)) {
    await tx
      .insertInto('relays')
      .values(
        chunk.map((r) => ({
          url: r.url,
          source: 'discovered' as const,
          watched: false,
          discovered_from: r.from,
          discovery_count: r.count,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('url')
          .doUpdateSet({ discovery_count: sql`relays.discovery_count + excluded.discovery_count` }),
      )
      .execute();
  }
  await writeRelayListChanges(tx, lists);
}

/**
 * The replica's report of the relays it holds (see `currentRelayStatus`): `held_at` set to now and
 * each relay's last reported status restated with the time it changed, so a status some other
 * write left (a previous holder's late flush) does not stand past one report. Its rows are locked
 * already (`lockRelayRows`).
 */
async function writeHeld(tx: Tx, held: readonly HeldRelay[]): Promise<void> {
  if (held.length === 0) return;
  const ids = held.map((r) => r.relayId);
  const statuses = held.map((r) => r.status ?? null);
  const changedAt = held.map((r) => (r.statusChangedAt === undefined ? null : new Date(r.statusChangedAt)));
  await sql`
    update relays r
       set held_at = now(),
           status = coalesce(v.status, r.status),
           status_changed_at = case when v.status is null then r.status_changed_at
                                    else coalesce(v.changed_at, r.status_changed_at) end
      from unnest(${ids}::int[], ${statuses}::text[], ${changedAt}::timestamptz[])
           as v(id, status, changed_at)
     where r.id = v.id`.execute(tx);
}

/**
 * Each relay's latest status, in one statement for every relay of the flush (one round trip, not
 * one per relay: a flush waits for each answer while the socket thread is busy). A value the
 * buffer does not have (null here) leaves the column as it was; the rows are locked already
 * (`lockRelayRows`).
 */
async function writeStatuses(tx: Tx, statuses: readonly RelayStatusRow[]): Promise<void> {
  if (statuses.length === 0) return;
  const column = <T>(value: (s: RelayStatusRow) => T) => statuses.map(value);
  await sql`
    update relays r
       set status = coalesce(v.status, r.status),
           status_changed_at = coalesce(v.status_changed_at, r.status_changed_at),
           last_connected_at = coalesce(v.last_connected_at, r.last_connected_at),
           last_disconnected_at = coalesce(v.last_disconnected_at, r.last_disconnected_at),
           last_event_at = coalesce(v.last_event_at, r.last_event_at),
           last_error_class = coalesce(v.last_error_class, r.last_error_class),
           last_error_at = coalesce(v.last_error_at, r.last_error_at),
           open_latency_ms = coalesce(v.open_latency_ms, r.open_latency_ms),
           eose_latency_ms = coalesce(v.eose_latency_ms, r.eose_latency_ms),
           disconnects = r.disconnects + v.disconnects,
           updated_at = now()
      from unnest(${column((s) => s.relayId)}::int[],
                  ${column((s) => s.status ?? null)}::text[],
                  ${column((s) => dateOrNull(s.statusChangedAt))}::timestamptz[],
                  ${column((s) => dateOrNull(s.lastConnectedAt))}::timestamptz[],
                  ${column((s) => dateOrNull(s.lastDisconnectedAt))}::timestamptz[],
                  ${column((s) => dateOrNull(s.lastEventAt))}::timestamptz[],
                  ${column((s) => s.lastErrorClass ?? null)}::text[],
                  ${column((s) => dateOrNull(s.lastErrorAt))}::timestamptz[],
                  ${column((s) => roundOrNull(s.openLatencyMs))}::int[],
                  ${column((s) => roundOrNull(s.eoseLatencyMs))}::int[],
                  ${column((s) => s.disconnects)}::int[])
           as v(id, status, status_changed_at, last_connected_at, last_disconnected_at, last_event_at,
                last_error_class, last_error_at, open_latency_ms, eose_latency_ms, disconnects)
     where r.id = v.id`.execute(tx);
}
