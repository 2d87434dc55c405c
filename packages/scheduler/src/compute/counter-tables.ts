import { RELAY_HEALTH_COUNTERS } from '@nostr-info/shared/db';

/** The tables of one additive counter and the columns a range reads from them. */
export interface CounterTables {
  /** Per UTC hour (`hour`). */
  hourly: string;
  /** Per 5-minute slot (`bucket`), kept two days: the partial hour at the `24h` window's old edge. */
  slots: string;
  /** Per UTC date (`day`). */
  daily: string;
  /** Key and counter columns, the same in all three. */
  columns: readonly string[];
}

const named = (name: string, columns: readonly string[]): CounterTables => ({
  hourly: `${name}_hourly`,
  slots: `${name}_5m`,
  daily: `${name}_daily`,
  columns,
});

/** Every additive counter a range sums over its buckets. */
export const COUNTER_TABLES = {
  relayEvents: {
    hourly: 'events_aggregated',
    slots: 'events_aggregated_5m',
    daily: 'events_aggregated_daily',
    columns: ['relay_id', 'kind', 'events', 'invalid', 'duplicates', 'first_corroborated'],
  },
  relayHealth: named('relay_health', ['relay_id', ...RELAY_HEALTH_COUNTERS]),
  networkEvents: named('network_events', ['kind', 'events']),
  clients: { hourly: 'clients_hourly', slots: 'clients_5m', daily: 'clients', columns: ['client', 'events'] },
  zaps: named('zaps', ['zaps', 'sats', 'extra_msats', 'flagged']),
  zapRejections: named('zap_rejections', ['reason', 'receipts', 'sats', 'extra_msats']),
  offFilter: named('relay_off_filter', ['relay_id', 'reason', 'copies']),
  untimely: named('untimely_events', ['kind', 'late', 'future']),
  deletions: named('deletions', ['kind', 'deletions']),
} as const satisfies Record<string, CounterTables>;

/** Name of an additive counter (see `COUNTER_TABLES`). */
export type CounterName = keyof typeof COUNTER_TABLES;
