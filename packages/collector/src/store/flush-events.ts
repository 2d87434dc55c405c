import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { ClientRow, CounterBuffer, NetworkRow, RelayKindRow } from '../aggregate/counter-buffer.js';
import { byBucket } from './bucket-rows.js';
import { chunkRows, sumBy } from './chunks.js';
import { rolledUp, rolledUpThrough } from './rolled-up.js';
import { addCounters } from './upsert-counters.js';

type Tx = Kysely<Database>;

function addRelayKind(into: RelayKindRow, from: RelayKindRow): void {
  into.events += from.events;
  into.invalid += from.invalid;
  into.duplicates += from.duplicates;
  into.firstCorroborated += from.firstCorroborated;
}
const addEvents = (a: { events: number }, b: { events: number }) => {
  a.events += b.events;
};

const relayCounters = ['events', 'invalid', 'duplicates', 'first_corroborated'] as const;
const relayValues = (r: RelayKindRow) => ({
  relay_id: r.relayId,
  kind: r.kind,
  events: r.events,
  invalid: r.invalid,
  duplicates: r.duplicates,
  first_corroborated: r.firstCorroborated,
});
const relayKey = (r: RelayKindRow) => `${r.relayId}|${r.kind}`;

/**
 * Per-relay and network-wide event counters and clients, per 5-minute slot, hour and day
 * (additive upserts); per-relay and client day rows of days already rolled up also go to the
 * running totals (see `rolledUpThrough`).
 */
export async function flushEventCounters(tx: Tx, buffer: CounterBuffer): Promise<void> {
  const relay = byBucket(buffer.relayKind.values(), relayKey, addRelayKind);
  await addCounters(tx, {
    table: 'events_aggregated',
    keys: ['hour', 'relay_id', 'kind'],
    counters: relayCounters,
    rows: relay.hours.map((r) => ({ hour: r.hour, ...relayValues(r) })),
  });
  await addCounters(tx, {
    table: 'events_aggregated_5m',
    keys: ['bucket', 'relay_id', 'kind'],
    counters: relayCounters,
    rows: relay.slots.map((r) => ({ bucket: r.slot, ...relayValues(r) })),
  });
  await addCounters(tx, {
    table: 'events_aggregated_daily',
    keys: ['day', 'relay_id', 'kind'],
    counters: relayCounters,
    rows: relay.days.map((r) => ({ day: r.day, ...relayValues(r) })),
  });

  const net = byBucket(buffer.network.values(), (r: NetworkRow) => String(r.kind), addEvents);
  await addCounters(tx, {
    table: 'network_events_hourly',
    keys: ['hour', 'kind'],
    counters: ['events'],
    rows: net.hours.map((r) => ({ hour: r.hour, kind: r.kind, events: r.events })),
  });
  await addCounters(tx, {
    table: 'network_events_5m',
    keys: ['bucket', 'kind'],
    counters: ['events'],
    rows: net.slots.map((r) => ({ bucket: r.slot, kind: r.kind, events: r.events })),
  });
  await addCounters(tx, {
    table: 'network_events_daily',
    keys: ['day', 'kind'],
    counters: ['events'],
    rows: net.days.map((r) => ({ day: r.day, kind: r.kind, events: r.events })),
  });

  const clients = byBucket(buffer.clients.values(), (r: ClientRow) => r.client, addEvents);
  await addCounters(tx, {
    table: 'clients_hourly',
    keys: ['hour', 'client'],
    counters: ['events'],
    rows: clients.hours.map((r) => ({ hour: r.hour, client: r.client, events: r.events })),
  });
  await addCounters(tx, {
    table: 'clients_5m',
    keys: ['bucket', 'client'],
    counters: ['events'],
    rows: clients.slots.map((r) => ({ bucket: r.slot, client: r.client, events: r.events })),
  });
  await addCounters(tx, {
    table: 'clients',
    keys: ['day', 'client'],
    counters: ['events'],
    rows: clients.days.map((r) => ({ day: r.day, client: r.client, events: r.events })),
  });

  if (relay.days.length > 0 || clients.days.length > 0) {
    const through = await rolledUpThrough(tx);
    await addCounters(tx, {
      table: 'events_aggregated_totals',
      keys: ['relay_id', 'kind'],
      counters: relayCounters,
      rows: sumBy(rolledUp(relay.days, through), relayKey, addRelayKind).map(relayValues),
    });
    await addCounters(tx, {
      table: 'clients_totals',
      keys: ['client'],
      counters: ['events'],
      rows: sumBy(rolledUp(clients.days, through), (r) => r.client, addEvents).map((r) => ({
        client: r.client,
        events: r.events,
      })),
    });
  }

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
