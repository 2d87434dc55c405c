/**
 * The additive per-relay health counters of `relay_health_hourly` / `relay_health_daily` (and the
 * scheduler's `relay_health_totals`), in one list for the code that writes and rolls them up.
 * Migrations keep their own frozen copy.
 */
export const RELAY_HEALTH_COUNTERS = [
  'connected_ms',
  'observed_ms',
  'restricted_ms',
  'connects',
  'disconnects',
  'errors',
  'open_latency_ms_sum',
  'open_latency_count',
  'eose_latency_ms_sum',
  'eose_latency_count',
] as const;

export type RelayHealthCounter = (typeof RELAY_HEALTH_COUNTERS)[number];

/**
 * Name of the one `stats_rollup_state` row: its `through_day` is the last day the running totals
 * (`*_totals`) hold. The scheduler moves it forward under `FOR UPDATE`; a collector flush that
 * writes a day row reads it under `FOR SHARE` and adds rows of days already rolled up to the totals.
 */
export const ROLLUP_STATE_NAME = 'all';
