import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import { dayOf } from '../aggregate/buckets.js';
import type { CounterBuffer, RelayKindRow } from '../aggregate/counter-buffer.js';
import { chunkRows, sumBy } from './chunks.js';
import { addCounters } from './upsert-counters.js';

type Tx = Kysely<Database>;

function addRelayKind(into: RelayKindRow, from: RelayKindRow): void {
  into.events += from.events;
  into.invalid += from.invalid;
  into.duplicates += from.duplicates;
  into.firstCorroborated += from.firstCorroborated;
}

/** Per-relay and network-wide event counters, hourly and daily (additive upserts). */
export async function flushEventCounters(tx: Tx, buffer: CounterBuffer): Promise<void> {
  const hourly = sumBy(buffer.relayKind.values(), (r) => `${r.hour}|${r.relayId}|${r.kind}`, addRelayKind);
  const relayCounters = ['events', 'invalid', 'duplicates', 'first_corroborated'] as const;
  await addCounters(tx, {
    table: 'events_aggregated',
    keys: ['hour', 'relay_id', 'kind'],
    counters: relayCounters,
    rows: hourly.map((r) => ({
      hour: r.hour,
      relay_id: r.relayId,
      kind: r.kind,
      events: r.events,
      invalid: r.invalid,
      duplicates: r.duplicates,
      first_corroborated: r.firstCorroborated,
    })),
  });
  const daily = sumBy(
    hourly.map((r) => ({ ...r, hour: dayOf(r.hour) })),
    (r) => `${r.hour}|${r.relayId}|${r.kind}`,
    addRelayKind,
  );
  await addCounters(tx, {
    table: 'events_aggregated_daily',
    keys: ['day', 'relay_id', 'kind'],
    counters: relayCounters,
    rows: daily.map((r) => ({
      day: r.hour,
      relay_id: r.relayId,
      kind: r.kind,
      events: r.events,
      invalid: r.invalid,
      duplicates: r.duplicates,
      first_corroborated: r.firstCorroborated,
    })),
  });

  const addEvents = (a: { events: number }, b: { events: number }) => {
    a.events += b.events;
  };
  const net = sumBy(buffer.network.values(), (r) => `${r.hour}|${r.kind}`, addEvents);
  await addCounters(tx, {
    table: 'network_events_hourly',
    keys: ['hour', 'kind'],
    counters: ['events'],
    rows: net.map((r) => ({ hour: r.hour, kind: r.kind, events: r.events })),
  });
  const netDaily = sumBy(
    net.map((r) => ({ ...r, hour: dayOf(r.hour) })),
    (r) => `${r.hour}|${r.kind}`,
    addEvents,
  );
  await addCounters(tx, {
    table: 'network_events_daily',
    keys: ['day', 'kind'],
    counters: ['events'],
    rows: netDaily.map((r) => ({ day: r.hour, kind: r.kind, events: r.events })),
  });

  const clients = sumBy(buffer.clients.values(), (r) => `${r.hour}|${r.client}`, addEvents);
  await addCounters(tx, {
    table: 'clients_hourly',
    keys: ['hour', 'client'],
    counters: ['events'],
    rows: clients.map((r) => ({ hour: r.hour, client: r.client, events: r.events })),
  });
  const clientsDaily = sumBy(
    clients.map((r) => ({ ...r, hour: dayOf(r.hour) })),
    (r) => `${r.hour}|${r.client}`,
    addEvents,
  );
  await addCounters(tx, {
    table: 'clients',
    keys: ['day', 'client'],
    counters: ['events'],
    rows: clientsDaily.map((r) => ({ day: r.hour, client: r.client, events: r.events })),
  });
  const clientUsers = [...buffer.clientUsers.values()].sort((a, b) =>
    a.client === b.client ? (a.pubkey < b.pubkey ? -1 : 1) : a.client < b.client ? -1 : 1,
  );
  for (const chunk of chunkRows(clientUsers, 4)) {
    await tx
      .insertInto('client_users')
      .values(
        chunk.map((r) => ({
          client: r.client,
          pubkey: r.pubkey,
          first_seen_at: new Date(r.first),
          last_seen_at: new Date(r.last),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['client', 'pubkey']).doUpdateSet({
          first_seen_at: sql`least(client_users.first_seen_at, excluded.first_seen_at)`,
          last_seen_at: sql`greatest(client_users.last_seen_at, excluded.last_seen_at)`,
        }),
      )
      .execute();
  }
}
