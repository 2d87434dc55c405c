import type { Database } from '@nostr-info/shared';
import { type Kysely, sql } from 'kysely';
import { dayOf } from '../aggregate/buckets.js';
import type { CounterBuffer, RelayKindRow } from '../aggregate/counter-buffer.js';
import { chunkRows, sumBy } from './chunks.js';

type Tx = Kysely<Database>;

function addRelayKind(into: RelayKindRow, from: RelayKindRow): void {
  into.events += from.events;
  into.invalid += from.invalid;
  into.duplicates += from.duplicates;
}

/** Per-relay and network-wide event counters, hourly and daily (additive upserts). */
export async function flushEventCounters(tx: Tx, buffer: CounterBuffer): Promise<void> {
  const hourly = sumBy(buffer.relayKind.values(), (r) => `${r.hour}|${r.relayId}|${r.kind}`, addRelayKind);
  for (const chunk of chunkRows(hourly, 6)) {
    await tx
      .insertInto('events_aggregated')
      .values(
        chunk.map((r) => ({
          hour: r.hour,
          relay_id: r.relayId,
          kind: r.kind,
          events: r.events,
          invalid: r.invalid,
          duplicates: r.duplicates,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['hour', 'relay_id', 'kind']).doUpdateSet({
          events: sql`events_aggregated.events + excluded.events`,
          invalid: sql`events_aggregated.invalid + excluded.invalid`,
          duplicates: sql`events_aggregated.duplicates + excluded.duplicates`,
        }),
      )
      .execute();
  }
  const daily = sumBy(
    hourly.map((r) => ({ ...r, hour: dayOf(r.hour) })),
    (r) => `${r.hour}|${r.relayId}|${r.kind}`,
    addRelayKind,
  );
  for (const chunk of chunkRows(daily, 6)) {
    await tx
      .insertInto('events_aggregated_daily')
      .values(
        chunk.map((r) => ({
          day: r.hour,
          relay_id: r.relayId,
          kind: r.kind,
          events: r.events,
          invalid: r.invalid,
          duplicates: r.duplicates,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['day', 'relay_id', 'kind']).doUpdateSet({
          events: sql`events_aggregated_daily.events + excluded.events`,
          invalid: sql`events_aggregated_daily.invalid + excluded.invalid`,
          duplicates: sql`events_aggregated_daily.duplicates + excluded.duplicates`,
        }),
      )
      .execute();
  }

  const net = sumBy(
    buffer.network.values(),
    (r) => `${r.hour}|${r.kind}`,
    (a, b) => {
      a.events += b.events;
    },
  );
  for (const chunk of chunkRows(net, 3)) {
    await tx
      .insertInto('network_events_hourly')
      .values(chunk.map((r) => ({ hour: r.hour, kind: r.kind, events: r.events })))
      .onConflict((oc) =>
        oc
          .columns(['hour', 'kind'])
          .doUpdateSet({ events: sql`network_events_hourly.events + excluded.events` }),
      )
      .execute();
  }
  const netDaily = sumBy(
    net.map((r) => ({ ...r, hour: dayOf(r.hour) })),
    (r) => `${r.hour}|${r.kind}`,
    (a, b) => {
      a.events += b.events;
    },
  );
  for (const chunk of chunkRows(netDaily, 3)) {
    await tx
      .insertInto('network_events_daily')
      .values(chunk.map((r) => ({ day: r.hour, kind: r.kind, events: r.events })))
      .onConflict((oc) =>
        oc
          .columns(['day', 'kind'])
          .doUpdateSet({ events: sql`network_events_daily.events + excluded.events` }),
      )
      .execute();
  }

  const clients = sumBy(
    buffer.clients.values(),
    (r) => `${r.hour}|${r.client}`,
    (a, b) => {
      a.events += b.events;
    },
  );
  for (const chunk of chunkRows(clients, 3)) {
    await tx
      .insertInto('clients_hourly')
      .values(chunk.map((r) => ({ hour: r.hour, client: r.client, events: r.events })))
      .onConflict((oc) =>
        oc.columns(['hour', 'client']).doUpdateSet({ events: sql`clients_hourly.events + excluded.events` }),
      )
      .execute();
  }
  const clientsDaily = sumBy(
    clients.map((r) => ({ ...r, hour: dayOf(r.hour) })),
    (r) => `${r.hour}|${r.client}`,
    (a, b) => {
      a.events += b.events;
    },
  );
  for (const chunk of chunkRows(clientsDaily, 3)) {
    await tx
      .insertInto('clients')
      .values(chunk.map((r) => ({ day: r.hour, client: r.client, events: r.events })))
      .onConflict((oc) =>
        oc.columns(['day', 'client']).doUpdateSet({ events: sql`clients.events + excluded.events` }),
      )
      .execute();
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
