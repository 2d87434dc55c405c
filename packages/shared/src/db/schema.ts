// Over 400 lines: every table's type and the one `Database` interface stay in one file (kysely's
// pattern), so the schema is read in one place; the migrations are split by change instead.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { RelayStatus } from '../relay/relay-status.js';
import type { FollowGraphStatsBody } from '../stats/follow-graph-schema.js';
import type { StatsRange } from '../stats/ranges.js';

/**
 * Database types. Counters are `bigint` in SQL; both drivers are configured to return them as JS
 * numbers (safe below 2^53, which sats and event counts stay under). `date` columns come back as
 * `YYYY-MM-DD` strings, timestamps as `Date`.
 *
 * Time is bucketed by when the collector observed an event (hour = `date_trunc('hour', now)`), not
 * by the event's `created_at`, which clients may set to anything.
 */

type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;
/** A counter added after its table: it defaults to 0, so inserts may leave it out. */
type AddedInt8 = ColumnType<number, number | bigint | string | undefined, number | bigint | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Day = ColumnType<string, string, string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export type RelaySource = 'seed' | 'discovered' | 'manual';

export interface RelaysTable {
  id: Generated<number>;
  url: string;
  source: RelaySource;
  /** In the set the collectors shard and watch (seed/manual always; discovered once admitted). */
  watched: ColumnType<boolean, boolean | undefined, boolean>;
  discovered_from: string | null;
  /** Relay-list events that named the relay (every version counted; not used for ranking). */
  discovery_count: ColumnType<number, number | undefined, number>;
  /**
   * Distinct pubkeys whose latest relay list (kind 10002) or contact-list relay map (kind 3) names
   * the relay (see `relay_list_authors`): what discovery candidates are ranked by.
   */
  discovery_authors: ColumnType<number, number | undefined, number>;
  first_seen_at: DefaultedTimestamp;
  /** NIP-11 information document as fetched, and the fields the API shows. */
  nip11: Json<Record<string, unknown>> | null;
  nip11_fetched_at: Timestamp | null;
  nip11_error: string | null;
  name: string | null;
  description: string | null;
  pubkey: string | null;
  contact: string | null;
  software: string | null;
  version: string | null;
  supported_nips: ColumnType<number[] | null, number[] | null | undefined, number[] | null>;
  auth_required: boolean | null;
  payment_required: boolean | null;
  restricted_writes: boolean | null;
  max_message_length: number | null;
  max_subscriptions: number | null;
  /** Health, as of the last collector report. */
  status: ColumnType<RelayStatus, RelayStatus | undefined, RelayStatus>;
  status_changed_at: Timestamp | null;
  /** When a collector replica last reported holding the relay; see `currentRelayStatus`. */
  held_at: Timestamp | null;
  last_connected_at: Timestamp | null;
  last_disconnected_at: Timestamp | null;
  last_event_at: Timestamp | null;
  last_error_class: string | null;
  last_error_at: Timestamp | null;
  open_latency_ms: number | null;
  eose_latency_ms: number | null;
  disconnects: ColumnType<Int8['__select__'], Int8['__insert__'] | undefined, Int8['__update__']>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

/** Connection events with bounded retention (pruned by the scheduler). */
export interface RelayLogsTable {
  id: Generated<Int8['__select__']>;
  relay_id: number;
  at: DefaultedTimestamp;
  /** connect | disconnect | error | closed | notice | auth | nip11 */
  event: string;
  /** Standard prefix class (`auth-required`, `rate-limited`, …) or error class. */
  class: string | null;
  /** Relay-supplied text, truncated. */
  message: string | null;
}

/** Additive per-relay health counters; `hour` is a UTC hour bucket, `day` a UTC date. */
interface RelayHealthCounters {
  relay_id: number;
  /**
   * Time the relay served the collector's subscription (it answered with EOSE or events); rows
   * written before the serving-status migration hold the time the socket was open instead.
   */
  connected_ms: Int8;
  observed_ms: Int8;
  /** Time the relay was up but refused to serve (auth or payment required): not part of uptime. */
  restricted_ms: AddedInt8;
  connects: Int8;
  disconnects: Int8;
  errors: Int8;
  open_latency_ms_sum: Int8;
  open_latency_count: Int8;
  eose_latency_ms_sum: Int8;
  eose_latency_count: Int8;
}
export interface RelayHealthHourlyTable extends RelayHealthCounters {
  hour: Timestamp;
}
export interface RelayHealthDailyTable extends RelayHealthCounters {
  day: Day;
}

/** Events delivered by each relay (every valid copy credits its relay), and invalid copies. */
interface RelayEventCounters {
  relay_id: number;
  kind: number;
  events: Int8;
  invalid: Int8;
  duplicates: Int8;
  /** Events this relay delivered first that another watched relay delivered after it. */
  first_corroborated: AddedInt8;
}
export interface EventsAggregatedTable extends RelayEventCounters {
  hour: Timestamp;
}
export interface EventsAggregatedDailyTable extends RelayEventCounters {
  day: Day;
}

/** Network-unique events (each id once across all collectors). */
export interface NetworkEventsHourlyTable {
  hour: Timestamp;
  kind: number;
  events: Int8;
}
export interface NetworkEventsDailyTable {
  day: Day;
  kind: number;
  events: Int8;
}

/** NIP-89 client tag usage: network-unique events per client. */
export interface ClientsHourlyTable {
  hour: Timestamp;
  client: string;
  events: Int8;
}
export interface ClientsTable {
  day: Day;
  client: string;
  events: Int8;
}
/** Distinct users of a client: users in a range ending now = rows with last_seen_at >= start. */
export interface ClientUsersTable {
  client: string;
  pubkey: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  /** Tiers as of the last refresh, as on `pubkeys`; null until one has seen the row. */
  profiled: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  trusted: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
}

/** One row per pubkey: active users in a range = last_seen_at >= start; new = first_seen_at >= start. */
export interface PubkeysTable {
  pubkey: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  events: Int8;
  /** Tiers as of the last refresh (`user_tier_refreshes`); null until one has seen the row. */
  profiled: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  trusted: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
}
/** Per day x pubkey (kept for the longest ranged window, then pruned). */
export interface ActiveUsersTable {
  day: Day;
  pubkey: string;
  events: Int8;
}
/** Per hour x pubkey, kept a little over 7 days for hourly timelines. */
export interface ActiveUsersHourlyTable {
  hour: Timestamp;
  pubkey: string;
}
/** Distinct-user counts per bucket, maintained from the rows newly inserted above. */
export interface UserActivityHourlyTable {
  hour: Timestamp;
  active_users: Int8;
  new_users: Int8;
}
export interface UserActivityDailyTable {
  day: Day;
  active_users: Int8;
  new_users: Int8;
}

/**
 * Zap receipts (kind 9735); implausible amounts counted apart, never summed. The amount is
 * `sats * 1000 + extra_msats` millisatoshis: `sats` sums each receipt's whole sats,
 * `extra_msats` what each carried beyond them.
 */
interface ZapCounters {
  zaps: Int8;
  sats: Int8;
  extra_msats: Int8;
  flagged: Int8;
  invalid_bolt11: Int8;
}
export interface ZapsHourlyTable extends ZapCounters {
  hour: Timestamp;
}
export interface ZapsDailyTable extends ZapCounters {
  day: Day;
}
/** Distinct zap senders/receivers: `role` is 'sender' or 'receiver'. */
export interface ZapParticipantsTable {
  pubkey: string;
  role: 'sender' | 'receiver';
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  zaps: Int8;
  sats: Int8;
  /** Millisatoshis beyond the whole sats in `sats`, as in `ZapCounters`. */
  extra_msats: Int8;
  /** Tiers as of the last refresh, as on `pubkeys`; null until one has seen the row. */
  profiled: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  trusted: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
}

/**
 * One row per counted zap payment (the bolt11 payment hash): a paid invoice republished under new
 * event ids counts once, network-wide and across restarts. `verdict` is how it was counted; an
 * `unverified` row becomes `accepted` when a later receipt for the payment verifies.
 */
export interface ZapPaymentsTable {
  payment_hash: string;
  verdict: 'accepted' | 'unverified';
  /** The receipt (event id) that counted the payment. */
  receipt_id: string;
  first_seen_at: DefaultedTimestamp;
}

/**
 * Receipts counted `unverified` (their recipient's zap provider could not be learned), kept so they
 * are checked again once the recipient's profile turns up; one per payment (`zap_payments`).
 */
export interface ZapUnverifiedTable {
  payment_hash: string;
  receipt_id: string;
  /** The zapped pubkey, and the receipt's signer (to compare with the provider key then). */
  receiver: string;
  signer: string;
  sender: string | null;
  /** Hour the receipt was received (where its counts are) and when exactly. */
  hour: Timestamp;
  at: Timestamp;
  sats: Int8;
  extra_msats: Int8;
}

/** The latest profile's (kind 0) Lightning address per pubkey: newest created_at, ties the lowest id. */
export interface LightningAddressesTable {
  pubkey: string;
  event_id: string;
  created_at: Timestamp;
  /** `name@domain` (LUD-16), or null. */
  lud16: string | null;
  /** bech32 `lnurl1…` (LUD-06), or null. */
  lud06: string | null;
  updated_at: DefaultedTimestamp;
}

/** Zap receipts not counted, by reason (see `ZAP_REJECT_REASONS`), with their amounts when readable. */
interface ZapRejectionCounters {
  reason: string;
  receipts: Int8;
  sats: Int8;
  extra_msats: Int8;
}
export interface ZapRejectionsHourlyTable extends ZapRejectionCounters {
  hour: Timestamp;
}
export interface ZapRejectionsDailyTable extends ZapRejectionCounters {
  day: Day;
}

/**
 * Each pubkey's latest relay list (kind 10002 `r` tags: `list_*`) and latest contact list's relay
 * map (kind 3 content: `contacts_*`): newest created_at wins, ties the lowest id. The URLs are the
 * ones discovery accepts; `relays.discovery_authors` counts the pubkeys naming each relay.
 */
export interface RelayListAuthorsTable {
  pubkey: string;
  list_event_id: string | null;
  list_created_at: Timestamp | null;
  list_urls: ColumnType<string[], string[] | undefined, string[]>;
  contacts_event_id: string | null;
  contacts_created_at: Timestamp | null;
  contacts_urls: ColumnType<string[], string[] | undefined, string[]>;
  updated_at: DefaultedTimestamp;
}

/**
 * Other NIP-66 monitors' latest kind 30166 report of each relay (newest created_at wins, ties the
 * lowest id); `reported_at` is the event's created_at.
 */
export interface MonitorReportsTable {
  monitor_pubkey: string;
  relay_url: string;
  event_id: string;
  reported_at: Timestamp;
  rtt_open_ms: number | null;
  rtt_read_ms: number | null;
  received_at: DefaultedTimestamp;
}

/** Long-form articles: one row per (pubkey, d tag), however often republished. */
export interface ArticlesTable {
  pubkey: string;
  d_tag: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  latest_created_at: Timestamp;
  versions: Int8;
  /** Id of the latest version (newest created_at, ties to the lowest id); null from older collectors. */
  latest_event_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Copies a relay sent outside the subscription that brought them, by reason (`OFF_FILTER_REASONS`). */
interface RelayOffFilterCounters {
  relay_id: number;
  reason: string;
  copies: Int8;
}
export interface RelayOffFilterHourlyTable extends RelayOffFilterCounters {
  hour: Timestamp;
}
export interface RelayOffFilterDailyTable extends RelayOffFilterCounters {
  day: Day;
}

/** Network-unique events first counted late or from the future, by kind (in no other network count). */
interface UntimelyEventCounters {
  kind: number;
  late: Int8;
  future: Int8;
}
export interface UntimelyEventsHourlyTable extends UntimelyEventCounters {
  hour: Timestamp;
}
export interface UntimelyEventsDailyTable extends UntimelyEventCounters {
  day: Day;
}

/** Deletions (kind 5) by the kind their `k` tags name; -1 when they name none. */
interface DeletionCounters {
  kind: number;
  deletions: Int8;
}
export interface DeletionsHourlyTable extends DeletionCounters {
  hour: Timestamp;
}
export interface DeletionsDailyTable extends DeletionCounters {
  day: Day;
}

/**
 * The additive hourly counters again, per 5-minute slot (`bucket`: the slot's start): the `24h`
 * range reads the partial hour at its old edge from these. Kept for two days.
 */
interface SlotBucket {
  bucket: Timestamp;
}
export interface EventsAggregated5mTable extends RelayEventCounters, SlotBucket {}
export interface NetworkEvents5mTable extends SlotBucket {
  kind: number;
  events: Int8;
}
export interface Clients5mTable extends SlotBucket {
  client: string;
  events: Int8;
}
export interface RelayHealth5mTable extends RelayHealthCounters, SlotBucket {}
export interface Zaps5mTable extends ZapCounters, SlotBucket {}
export interface ZapRejections5mTable extends ZapRejectionCounters, SlotBucket {}
export interface RelayOffFilter5mTable extends RelayOffFilterCounters, SlotBucket {}
export interface UntimelyEvents5mTable extends UntimelyEventCounters, SlotBucket {}
export interface Deletions5mTable extends DeletionCounters, SlotBucket {}

/**
 * How many latencies of a relay fell into each fixed bucket: `phase` `open` (connect → socket open)
 * or `eose` (REQ → EOSE), `le_ms` the bucket's upper bound in milliseconds. Only buckets with a
 * sample have a row; percentiles of any run of buckets are read from the sums.
 */
interface RelayLatencyCounters {
  relay_id: number;
  phase: 'open' | 'eose';
  le_ms: number;
  samples: Int8;
}
export interface RelayLatencyHourlyTable extends RelayLatencyCounters {
  hour: Timestamp;
}
export interface RelayLatencyDailyTable extends RelayLatencyCounters {
  day: Day;
}

/**
 * One tracked NIP-11 field of a relay (`name`, `software`, `version`, `supported_nips`,
 * `limitation`, `fees`) that differed between two fetches of its document, seen at `at`.
 */
export interface RelayNip11ChangesTable {
  id: Generated<Int8['__select__']>;
  relay_id: number;
  at: DefaultedTimestamp;
  field: string;
  /** The field's value before and after, as JSON (null: absent). */
  old_value: Json<unknown> | null;
  new_value: Json<unknown> | null;
}

/**
 * A confirmed outage of a relay: from when it stopped serving to when it served again (`ended_at`
 * null while it lasts), with its cause class and detail (errno, HTTP status, close code).
 */
export interface RelayOutagesTable {
  relay_id: number;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  cause: string;
  detail: string | null;
  updated_at: DefaultedTimestamp;
}

/**
 * One address a relay's host resolved to at its last resolution, located by the offline IP
 * databases (null country / ASN: the address is not in them). Replaced whole per relay.
 */
export interface RelayAddressesTable {
  relay_id: number;
  address: string;
  family: 4 | 6;
  /** ISO 3166-1 alpha-2 code. */
  country: string | null;
  asn: Int8['__select__'] | null;
  as_org: string | null;
  resolved_at: DefaultedTimestamp;
}

/** An author's NIP-09 deletion of their own article by address: versions created up to `deleted_until`. */
export interface ArticleDeletionsTable {
  pubkey: string;
  d_tag: string;
  deleted_until: Timestamp;
}

/** Event ids `pubkey` asked to delete (NIP-09 `e` tags); honoured for an article of the same pubkey. */
export interface EventDeletionsTable {
  event_id: string;
  pubkey: string;
  first_seen_at: DefaultedTimestamp;
}

/** Latest replaceable event per (kind, pubkey) for kinds 0, 3 and 10002. */
export interface ReplaceableEventsTable {
  kind: number;
  pubkey: string;
  event_id: string;
  created_at: Timestamp;
  updated_at: DefaultedTimestamp;
}

/** Dictionary of pubkeys to 4-byte ids, so follow lists store integers (see `follow_lists`). */
export interface PubkeyIdsTable {
  id: Generated<number>;
  pubkey: string;
}

/** Each pubkey's latest follow list (kind 3): its followees' `pubkey_ids`, sorted. */
export interface FollowListsTable {
  follower_id: number;
  event_id: string;
  created_at: Timestamp;
  followees: number[];
  updated_at: DefaultedTimestamp;
}

/** Keys the last trust computation found trusted (see docs/methodology.md, web of trust). */
export interface TrustedPubkeysTable {
  pubkey: string;
  score: number;
  computed_at: Timestamp;
}

/** What the last trust computation left for the next (one row, id 1); see `trust_state_parts`. */
export interface TrustStateTable {
  id: number;
  /** Methodology version and settings the scores were computed under; a change forces a full run. */
  fingerprint: string;
  /** When the last full computation ran. */
  full_at: Timestamp;
  saved_at: Timestamp;
  /** Nodes in the saved score vector. */
  size: number;
}

/** The scores of `trust_state`, as raw bytes in parts of at most 16 MB. */
export interface TrustStatePartsTable {
  name: string;
  part: number;
  data: Uint8Array;
}

/** One row per refresh of the tiers kept on `pubkeys`. */
export interface UserTierRefreshesTable {
  refreshed_at: Timestamp;
  changed: number;
  duration_ms: number;
  /** Hours before this are counted in `user_tiers_hourly`; null: none yet. */
  hours_through: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Days before this are counted in `user_tiers_daily`; null: none yet. */
  days_through: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Profiled and trusted keys active and new in one hour, as of the tier refresh that wrote the row. */
export interface UserTiersHourlyTable {
  hour: Timestamp;
  active_profiled: number;
  active_trusted: number;
  new_profiled: number;
  new_trusted: number;
}
/** The same per day. */
export interface UserTiersDailyTable {
  day: Day;
  active_profiled: number;
  active_trusted: number;
  new_profiled: number;
  new_trusted: number;
}

/** One row per trust computation: when, under which methodology, and what it saw. */
export interface TrustRunsTable {
  id: Generated<Int8['__select__']>;
  computed_at: Timestamp;
  methodology_version: string;
  seeds: number;
  lists: number;
  edges: Int8;
  trusted: number;
  iterations: number;
  duration_ms: number;
}

/** Follow-graph statistics of one trust computation (`FollowGraphStatsBody`); the latest few kept. */
export interface FollowGraphStatsTable {
  computed_at: Timestamp;
  methodology_version: string;
  body: Json<FollowGraphStatsBody>;
}

/** Per relay, how far back `nostr-info backfill` has read its history (see the migration). */
export interface BackfillProgressTable {
  relay_url: string;
  since: Timestamp;
  /** Everything from here up to when the relay was first asked is fetched; null before a page. */
  reached_at: Timestamp | null;
  done: ColumnType<boolean, boolean | undefined, boolean>;
  truncated: ColumnType<boolean, boolean | undefined, boolean>;
  pages: ColumnType<number, number | undefined, number>;
  events: AddedInt8;
  rejected: AddedInt8;
  updated_at: DefaultedTimestamp;
}

/** One row per backfill run; `complete` when every selected relay reached `since`. */
export interface BackfillRunsTable {
  id: Generated<number>;
  since: Timestamp;
  started_at: Timestamp;
  finished_at: DefaultedTimestamp;
  relays: number;
  relays_done: number;
  complete: boolean;
}

/**
 * Sums of the day tables over every day up to `stats_rollup_state.through_day`, kept by the
 * scheduler so the `all` range reads these plus the days after instead of the whole history.
 */
export interface StatsRollupStateTable {
  name: string;
  through_day: Day;
}
export interface EventsAggregatedTotalsTable {
  relay_id: number;
  kind: number;
  events: Int8;
  invalid: Int8;
  duplicates: Int8;
  first_corroborated: AddedInt8;
}
export type RelayHealthTotalsTable = RelayHealthCounters;
export interface ClientsTotalsTable {
  client: string;
  events: Int8;
}

export interface StatisticsSnapshotsTable {
  id: Generated<Int8['__select__']>;
  range: StatsRange;
  computed_at: Timestamp;
  duration_ms: number;
  body: Json<Record<string, unknown>>;
}

/** One row per scheduler run: what the API exports as scheduler metrics. */
export interface SchedulerRunsTable {
  id: Generated<Int8['__select__']>;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  success: boolean | null;
  error: string | null;
  /** `{ "24h": { "duration_ms": 12, "rows": 40 }, … }` */
  ranges: Json<Record<string, { duration_ms: number; rows: number }>> | null;
}

/** View: relays with last-24h uptime and event counts. */
export interface RelayHealthSummaryView {
  relay_id: number;
  url: string;
  status: RelayStatus;
  watched: boolean;
  uptime_24h: number | null;
  events_24h: Int8;
  invalid_24h: Int8;
  open_latency_ms: number | null;
  eose_latency_ms: number | null;
  last_event_at: Date | null;
}

/** View: one row per day with network-wide figures. */
export interface DailyNetworkStatsView {
  day: Day;
  events: Int8;
  active_users: Int8;
  new_users: Int8;
  zaps: Int8;
  sats: Int8;
}

/** One row per collector flush transaction (its id), for telling whether a flush whose COMMIT answer was lost landed. */
export interface CollectorFlushesTable {
  id: string;
  at: Generated<Date>;
}

/** One collector process: its heartbeat, and the fence that refuses its flushes once it is taken for dead. */
export interface CollectorInstancesTable {
  token: string;
  ordinal: number;
  started_at: Generated<Date>;
  beat_at: Generated<Date>;
  fenced_at: Date | null;
}

/** Where a relay's stream stands as of the last committed flush (a restart resumes from here). */
export interface RelayResumeTable {
  relay_id: number;
  heard_sec: Int8;
  floor_sec: Int8;
  holder: string;
  updated_at: Generated<Date>;
}

/** Ids credited to a relay by one flush, packed (see `relay_credited` in the durable-resume migration). */
export interface RelayCreditedTable {
  relay_id: number;
  horizon_sec: Int8;
  ids: Buffer;
  /** Bad copies charged to the relay by that flush: 64-bit hashes, 8 bytes each (null: none). */
  charged: Buffer | null;
}

/** Ids counted network-wide within the durable window (the id's first 64 bits, signed). */
export interface CountedEventsTable {
  id: Int8;
  horizon_sec: Int8;
}

export interface Database {
  collector_instances: CollectorInstancesTable;
  relay_resume: RelayResumeTable;
  relay_credited: RelayCreditedTable;
  counted_events: CountedEventsTable;
  relays: RelaysTable;
  relay_logs: RelayLogsTable;
  relay_health_hourly: RelayHealthHourlyTable;
  relay_health_daily: RelayHealthDailyTable;
  events_aggregated: EventsAggregatedTable;
  events_aggregated_daily: EventsAggregatedDailyTable;
  network_events_hourly: NetworkEventsHourlyTable;
  network_events_daily: NetworkEventsDailyTable;
  clients_hourly: ClientsHourlyTable;
  clients: ClientsTable;
  client_users: ClientUsersTable;
  pubkeys: PubkeysTable;
  active_users: ActiveUsersTable;
  active_users_hourly: ActiveUsersHourlyTable;
  user_activity_hourly: UserActivityHourlyTable;
  user_activity_daily: UserActivityDailyTable;
  zaps_hourly: ZapsHourlyTable;
  zaps_daily: ZapsDailyTable;
  zap_participants: ZapParticipantsTable;
  zap_payments: ZapPaymentsTable;
  lightning_addresses: LightningAddressesTable;
  zap_unverified: ZapUnverifiedTable;
  zap_rejections_hourly: ZapRejectionsHourlyTable;
  zap_rejections_daily: ZapRejectionsDailyTable;
  articles: ArticlesTable;
  relay_off_filter_hourly: RelayOffFilterHourlyTable;
  relay_off_filter_daily: RelayOffFilterDailyTable;
  untimely_events_hourly: UntimelyEventsHourlyTable;
  untimely_events_daily: UntimelyEventsDailyTable;
  deletions_hourly: DeletionsHourlyTable;
  deletions_daily: DeletionsDailyTable;
  events_aggregated_5m: EventsAggregated5mTable;
  network_events_5m: NetworkEvents5mTable;
  clients_5m: Clients5mTable;
  relay_health_5m: RelayHealth5mTable;
  zaps_5m: Zaps5mTable;
  zap_rejections_5m: ZapRejections5mTable;
  relay_off_filter_5m: RelayOffFilter5mTable;
  untimely_events_5m: UntimelyEvents5mTable;
  deletions_5m: Deletions5mTable;
  relay_latency_hourly: RelayLatencyHourlyTable;
  relay_latency_daily: RelayLatencyDailyTable;
  relay_nip11_changes: RelayNip11ChangesTable;
  relay_outages: RelayOutagesTable;
  relay_addresses: RelayAddressesTable;
  article_deletions: ArticleDeletionsTable;
  event_deletions: EventDeletionsTable;
  replaceable_events: ReplaceableEventsTable;
  pubkey_ids: PubkeyIdsTable;
  follow_lists: FollowListsTable;
  trusted_pubkeys: TrustedPubkeysTable;
  trust_runs: TrustRunsTable;
  trust_state: TrustStateTable;
  trust_state_parts: TrustStatePartsTable;
  user_tier_refreshes: UserTierRefreshesTable;
  user_tiers_hourly: UserTiersHourlyTable;
  user_tiers_daily: UserTiersDailyTable;
  follow_graph_stats: FollowGraphStatsTable;
  backfill_progress: BackfillProgressTable;
  backfill_runs: BackfillRunsTable;
  statistics_snapshots: StatisticsSnapshotsTable;
  scheduler_runs: SchedulerRunsTable;
  stats_rollup_state: StatsRollupStateTable;
  events_aggregated_totals: EventsAggregatedTotalsTable;
  relay_health_totals: RelayHealthTotalsTable;
  clients_totals: ClientsTotalsTable;
  collector_flushes: CollectorFlushesTable;
  relay_list_authors: RelayListAuthorsTable;
  monitor_reports: MonitorReportsTable;
  relay_health_summary: RelayHealthSummaryView;
  daily_network_stats: DailyNetworkStatsView;
}

export type Relay = Selectable<RelaysTable>;
export type NewRelay = Insertable<RelaysTable>;
export type RelayUpdate = Updateable<RelaysTable>;
export type StatisticsSnapshot = Selectable<StatisticsSnapshotsTable>;
export type NewStatisticsSnapshot = Insertable<StatisticsSnapshotsTable>;
export type SchedulerRun = Selectable<SchedulerRunsTable>;
