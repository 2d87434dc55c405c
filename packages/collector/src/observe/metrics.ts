import { collectHotCells, METRIC_PREFIX } from '@nostr-info/shared/metrics';
import { COLLECTED_KINDS } from '@nostr-info/shared/nostr';
import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';

/** Kinds used as metric label values (the kinds subscribed to); anything else is `other`. */
export { COLLECTED_KINDS };
const KIND_LABELS = new Set<number>(COLLECTED_KINDS);

/** Bounded label value of a kind. */
export const kindLabel = (kind: number): string => (KIND_LABELS.has(kind) ? String(kind) : 'other');

function existing<T extends Metric>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

/** The collector's metrics (names in docs/metrics.md), registered once per registry. */
export function createCollectorMetrics(registry: Registry) {
  const p = METRIC_PREFIX;
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    existing<Counter<L>>(registry, p + name) ??
    new Counter<L>({ name: p + name, help, labelNames, registers, collect: collectHotCells });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    existing<Gauge<L>>(registry, p + name) ?? new Gauge<L>({ name: p + name, help, labelNames, registers });
  const histogram = (name: string, help: string, buckets: number[]) =>
    existing<Histogram>(registry, p + name) ?? new Histogram({ name: p + name, help, buckets, registers });
  return {
    relaysOwned: gauge('collector_relays_owned', 'Relays this replica owns after sharding.'),
    replicas: gauge('collector_replicas', 'Replica count this replica shards by.'),
    relaysConnected: gauge(
      'collector_relays_connected',
      'Relays serving: socket open and subscription answered (EOSE or events).',
    ),
    connections: gauge('collector_connections', 'Sockets by state.', ['state']),
    eventsReceived: counter(
      'collector_events_received_total',
      'Valid event copies delivered by each relay.',
      ['relay', 'kind'],
    ),
    eventsUnique: counter(
      'collector_events_unique_total',
      'Network-unique events this replica counted first.',
      ['kind'],
    ),
    eventsInvalid: counter(
      'collector_events_invalid_total',
      'Copies with a bad id, bad signature or bad shape.',
      ['relay', 'reason'],
    ),
    duplicatesDropped: counter('collector_duplicates_dropped_total', 'Copies already seen, by layer.', [
      'layer',
    ]),
    eventsOffFilter: counter(
      'collector_events_off_filter_total',
      'Copies outside the subscription that brought them (unknown subscription, kind not asked for, created_at outside since/until), each distinct copy once per relay: never counted as events.',
      ['relay', 'reason'],
    ),
    eventsUntimely: counter(
      'collector_events_untimely_total',
      'Network-unique events first counted more than an hour after their created_at (late) or over 15 minutes before it (future): credited to their relay, never counted as activity.',
      ['timing'],
    ),
    eventsUnresolved: counter(
      'collector_events_unresolved_total',
      'Valid events whose network-wide dedup claim the cache had not answered when the replica stopped: counted for their relay, not network-wide.',
    ),
    verifyDuration: histogram(
      'collector_verify_duration_seconds',
      'Signature verification time per batch.',
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    ),
    verifierInfo: gauge(
      'collector_verifier_info',
      'Signature verifier in use (1 on its backend label): libsecp256k1-native, or libsecp256k1-wasm when the addon is not built.',
      ['backend'],
    ),
    bufferKeys: gauge('collector_buffer_keys', 'Keyed counters waiting for the next flush.'),
    flushes: counter('collector_flushes_total', 'Flushes by result.', ['result']),
    heldReports: counter(
      'collector_held_reports_total',
      'Reports of the relays this replica holds (relays.held_at), by how they were written (with_flush, alone) and result.',
      ['write', 'result'],
    ),
    flushDuration: histogram(
      'collector_flush_duration_seconds',
      'Time of one flush transaction.',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    ),
    lastFlushSuccess: gauge(
      'collector_last_flush_success_timestamp_seconds',
      'Unix time of the last good flush.',
    ),
    reconnects: counter('collector_reconnects_total', 'Reconnect attempts.', ['relay']),
    relayUp: gauge(
      'collector_relay_up',
      'Per relay this replica owns: 1 while it serves (socket open, subscription answered), else 0.',
      ['relay'],
    ),
    relayOpenSeconds: gauge(
      'collector_relay_open_seconds',
      'Time the last connect took to open the socket.',
      ['relay'],
    ),
    relayEoseSeconds: gauge(
      'collector_relay_eose_seconds',
      'Time from the last REQ to its EOSE (the stored events the relay replayed first).',
      ['relay'],
    ),
    relayObservedSeconds: counter(
      'collector_relay_observed_seconds_total',
      'Time this replica watched the relay (the denominator of uptime).',
      ['relay'],
    ),
    relayConnectedSeconds: counter(
      'collector_relay_connected_seconds_total',
      'Time the relay served the subscription while watched (uptime = its rate over the observed rate less the restricted rate).',
      ['relay'],
    ),
    relayRestrictedSeconds: counter(
      'collector_relay_restricted_seconds_total',
      'Time the relay was up but refused to serve (auth or payment required): left out of uptime.',
      ['relay'],
    ),
    relayUnanswered: counter(
      'collector_relay_unanswered_total',
      'Subscriptions the relay left unanswered (no EOSE, no event) past the answer timeout: it became unresponsive.',
      ['relay'],
    ),
    relayOutages: counter(
      'collector_relay_outages_total',
      'Relay outages confirmed (not serving past the grace), by the cause class seen when confirmed.',
      ['cause'],
    ),
    relaysInOutage: gauge(
      'collector_relays_in_outage',
      'Relays this replica holds that are in a confirmed, ongoing outage.',
    ),
    relayErrors: counter(
      'collector_relay_errors_total',
      'Disconnects and failed connects by error class (closed, connect-failed, stalled, timeout, …).',
      ['relay', 'class'],
    ),
    resumes: counter(
      'collector_resumes_total',
      'Relays opened by this replica, by where their resume point came from: handover (a graceful hand-over), durable (the last committed flush, e.g. after a crash) or none (first watched: starts now).',
      ['from'],
    ),
    resumeGap: histogram(
      'collector_resume_gap_seconds',
      'Time a relay was not read, from when it was last heard to its resumed subscription (time blind, recovered by the look-back).',
      [1, 2, 5, 10, 20, 30, 60, 120, 300, 900, 3600],
    ),
    redeliveries: counter(
      'collector_redeliveries_total',
      'Events a flush found already counted network-wide (counted_events): re-deliveries after a crash or a cache that lost its keys, taken out of the counts.',
    ),
    claimsTakenOver: counter(
      'collector_claims_taken_over_total',
      'Dedup claims of a dead instance that never committed them, taken over (the event is then counted here).',
    ),
    fenced: gauge(
      'collector_fenced',
      '1 once this instance was fenced (taken for dead, its relays taken over): its flushes are refused and it stops.',
    ),
    resumesCapped: counter(
      'collector_resumes_capped_total',
      "Re-subscriptions whose look-back was shortened because the relay's seen set was full.",
      ['relay'],
    ),
    replayPages: counter(
      'collector_replay_pages_total',
      'Extra REQs paging a resumed replay back in time (the relay capped what one REQ returns).',
      ['relay'],
    ),
    replaysTruncated: counter(
      'collector_replays_truncated_total',
      'Resumed replays that could not be paged to the end of the look-back window.',
      ['relay'],
    ),
    relayMessages: counter(
      'collector_relay_messages_total',
      'NOTICE / CLOSED / AUTH messages by standard prefix class.',
      ['relay', 'type', 'class'],
    ),
    zapsRejected: counter(
      'collector_zaps_rejected_total',
      'Zap receipts not counted, by the first NIP-57 check they failed (as written to the database).',
      ['reason'],
    ),
    zapsPending: gauge(
      'collector_zaps_pending',
      'Zap receipts waiting for their checks (signature, profile, LNURL provider key).',
    ),
    lnurlFetches: counter(
      'collector_lnurl_fetches_total',
      'LNURL-pay documents fetched for zap provider keys, by answer (key, no_nostr, down).',
      ['result'],
    ),
    addressResolutions: counter(
      'collector_address_resolutions_total',
      "Resolutions of held relays' hosts for the network census, by outcome (resolved, overlay, failed).",
      ['outcome'],
    ),
    dbErrors: counter('db_errors_total', 'Failed database operations (connection or query).', [
      'service',
      'operation',
    ]),
  };
}

export type CollectorMetrics = ReturnType<typeof createCollectorMetrics>;

/**
 * Socket states exported by `nostr_info_collector_connections`: `waiting` (REQ sent, not answered
 * yet), `open` (serving), `unresponsive` (open, the REQ unanswered past the timeout),
 * `auth_required` / `payment_required` (up, refusing to serve), `backoff`, `connecting`, `closed`.
 */
export const CONNECTION_STATES = [
  'connecting',
  'waiting',
  'open',
  'unresponsive',
  'auth_required',
  'payment_required',
  'backoff',
  'closed',
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];
