/**
 * The shapes the page reads. Snapshot sections are the shared schema's types (type-only: nothing
 * of zod reaches the bundle); the renderers read them defensively, since the schema grows.
 */
import type { RelayRow } from '@nostr-info/shared/stats';

export type {
  ActivitySection,
  ClientRow,
  ClientsSection,
  EventsSection,
  FullSnapshot,
  Overview,
  RelayRow,
  RelaysSection,
  TopRelaysSection,
} from '@nostr-info/shared/stats';

/** The ranges the API serves, in display order. */
export const RANGES = ['24h', '7d', '30d', '90d', 'all'] as const;
export type Range = (typeof RANGES)[number];

/** A `live` message of `/api/v1/stream` (network-wide, summed over collector replicas). */
export interface LiveMessage {
  at: string;
  events_per_second: number;
  events_per_second_by_kind: Record<string, number>;
  relays_online: number;
  relays_owned: number;
  collectors: number;
}

/** A `snapshot` message of `/api/v1/stream`: a new set of snapshots has landed. */
export interface SnapshotNotice {
  computed_at?: string;
  ranges?: string[];
}

/** The `relays` table's public view of one relay, as `GET /api/v1/relays/:url` returns it. */
export interface RelayInfo {
  url: string;
  source: string;
  watched: boolean;
  first_seen_at: string;
  name: string | null;
  description: string | null;
  pubkey: string | null;
  contact: string | null;
  software: string | null;
  version: string | null;
  supported_nips: number[] | null;
  auth_required: boolean | null;
  payment_required: boolean | null;
  restricted_writes: boolean | null;
  max_message_length: number | null;
  max_subscriptions: number | null;
  status: string;
  status_changed_at: string | null;
  last_connected_at: string | null;
  last_disconnected_at: string | null;
  last_event_at: string | null;
  open_latency_ms: number | null;
  eose_latency_ms: number | null;
  nip11_fetched_at: string | null;
}

/** `GET /api/v1/relays/:url`. */
export interface RelayDetail {
  url: string;
  range: Range;
  computed_at: string | null;
  relay: RelayInfo | null;
  stats: RelayRow | null;
}

/** Latency of one bucket or window (`LatencySummary`). */
export interface LatencySummary {
  avg: number | null;
  p50: number | null;
  p95: number | null;
  count: number;
}

/** One bucket of `GET /api/v1/relays/:url/history` (the window's totals have the same figures). */
export interface RelayHistoryPoint {
  t: string;
  uptime_pct: number | null;
  observed_ms: number;
  serving_ms: number;
  open_latency_ms: LatencySummary;
  eose_latency_ms: LatencySummary;
  events: number;
  connects: number;
  disconnects: number;
}

/** `GET /api/v1/relays/:url/history`. */
export interface RelayHistory {
  url: string;
  granularity: 'hour' | 'day';
  totals: Omit<RelayHistoryPoint, 't'>;
  series: RelayHistoryPoint[];
}

/** One confirmed outage of `GET /api/v1/relays/:url/outages`. */
export interface RelayOutage {
  started_at: string;
  ended_at: string | null;
  ongoing: boolean;
  duration_seconds: number;
  cause: string;
  detail: string | null;
}

/** `GET /api/v1/relays/:url/outages`. */
export interface RelayOutages {
  url: string;
  outages: RelayOutage[];
  truncated: boolean;
}
