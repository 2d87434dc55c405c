import { RESTRICTED_STATUSES } from '@nostr-info/shared/relay';
import type {
  ActivitySection,
  ClientRow,
  ClientsSection,
  EventsSection,
  Overview,
  RelaysSection,
  TopRelaysSection,
} from '@nostr-info/shared/stats';
import { eventsFilterFields, type FilterFigures } from './filter-figures.js';
import { mean, nearestRank, percent } from './numbers.js';
import { type ParticipantTiers, tiersOf } from './participant-tiers.js';
import type { RangeData } from './range-data.js';
import { bucketStarts, type RangeWindow } from './range-window.js';
import { byEvents, byText, type RelayFigures } from './relay-rows.js';
import { bucketTiersAt } from './tier-buckets.js';
import { type ZapRangeFigures, zapOverview } from './zap-figures.js';

type Base = { range: RangeWindow['range']; computed_at: string };

/** Most clients are listed; past this the long tail of hand-typed client tags is cut. */
export const CLIENT_LIST_LIMIT = 100;
/** Length of each top-relays list. */
export const TOP_RELAYS = 10;

/**
 * Bucket start of a DB value as an ISO key: hours come back as `Date`, days as `YYYY-MM-DD` from
 * node-postgres but as a `Date` at 00:00 UTC from PGlite; both map to the same key.
 */
function bucketKey(t: Date | string): string {
  return t instanceof Date ? t.toISOString() : new Date(`${t}T00:00:00.000Z`).toISOString();
}

function latencyStats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { avg: mean(sorted), p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95) };
}

/** Overview: relay counts, events, users, zaps, articles, latency over online watched relays. */
export function overviewSection(
  base: Base,
  data: RangeData,
  relays: RelayFigures[],
  filtered: FilterFigures,
  zaps: ZapRangeFigures,
  people: ParticipantTiers,
  /** False when no trust seeds are configured: the trusted figures are then null. */
  trust = true,
): Omit<Overview, 'coverage'> {
  const watched = relays.filter((r) => r.watched);
  const online = watched.filter((r) => r.row.status === 'online');
  const withStatus = (status: string) => watched.filter((r) => r.row.status === status).length;
  const activeRelays = new Set(data.relayCounters.filter((c) => c.events > 0).map((c) => c.relay_id));
  const s = data.scalars;
  return {
    ...base,
    relays: {
      known: relays.length,
      watched: watched.length,
      online: online.length,
      unresponsive: withStatus('unresponsive'),
      auth_required: withStatus('auth_required'),
      payment_required: withStatus('payment_required'),
      active: activeRelays.size,
    },
    events: {
      unique: data.networkEvents.reduce((a, b) => a + b.events, 0),
      relay_sum: data.relayCounters.reduce((a, b) => a + b.events, 0),
      invalid: data.relayCounters.reduce((a, b) => a + b.invalid, 0),
      off_filter: filtered.offFilter.total,
      late: filtered.late.total,
      future: filtered.future.total,
    },
    users: { active: s.active_users, new: s.new_users },
    user_tiers: {
      active: { keys: s.active_users, profiled: s.active_profiled, trusted: trust ? s.active_trusted : null },
      new: { keys: s.new_users, profiled: s.new_profiled, trusted: trust ? s.new_trusted : null },
      trust_computed_at: trust && s.trust_computed_at ? new Date(s.trust_computed_at).toISOString() : null,
    },
    zaps: zapOverview(s, zaps, people, trust),
    articles: s.articles - filtered.articlesDeleted,
    articles_deleted: filtered.articlesDeleted,
    latency: {
      open_ms: latencyStats(
        online.flatMap((r) => (r.row.open_latency_ms === null ? [] : [r.row.open_latency_ms])),
      ),
      eose_ms: latencyStats(
        online.flatMap((r) => (r.row.eose_latency_ms === null ? [] : [r.row.eose_latency_ms])),
      ),
    },
  };
}

/** Every watched relay, most events first. */
export function relaysSection(base: Base, relays: RelayFigures[]): RelaysSection {
  return {
    ...base,
    relays: relays
      .filter((r) => r.watched)
      .map((r) => r.row)
      .sort(byEvents),
  };
}

/** Network-unique events by kind, and per bucket (zero-filled, oldest first). */
export function eventsSection(
  base: Base,
  window: RangeWindow,
  data: RangeData,
  filtered: FilterFigures,
): EventsSection {
  const byKind: Record<string, number> = {};
  const perBucket = new Map<string, Record<string, number>>();
  for (const e of data.networkEvents) {
    const kind = String(e.kind);
    byKind[kind] = (byKind[kind] ?? 0) + e.events;
    const key = bucketKey(e.t);
    const bucket = perBucket.get(key) ?? {};
    bucket[kind] = (bucket[kind] ?? 0) + e.events;
    perBucket.set(key, bucket);
  }
  const series = bucketStarts(window, firstDay(data)).map((t) => {
    const kinds = perBucket.get(t.toISOString()) ?? {};
    return { t: t.toISOString(), total: sum(Object.values(kinds)), by_kind: kinds };
  });
  return {
    ...base,
    granularity: window.granularity,
    total: sum(Object.values(byKind)),
    by_kind: byKind,
    series,
    ...eventsFilterFields(filtered, byKind),
  };
}

/** Clients by events and by distinct users (with their tiers), with shares of the tagged total. */
export function clientsSection(
  base: Base,
  data: RangeData,
  people: ParticipantTiers,
  trust = true,
): ClientsSection {
  const rows = new Map<string, { events: number; users: number }>();
  for (const c of data.clientEvents) rows.set(c.client, { events: c.n, users: 0 });
  for (const c of data.clientUsers) {
    const row = rows.get(c.client) ?? { events: 0, users: 0 };
    row.users = c.n;
    rows.set(c.client, row);
  }
  const totalEvents = sum(data.clientEvents.map((c) => c.n));
  const totalUsers = data.scalars.client_users_total;
  const all: ClientRow[] = [...rows].map(([client, r]) => ({
    client,
    events: r.events,
    users: r.users,
    users_tiers: tiersOf(r.users, people.clients.get(client), trust),
    events_share_pct: percent(r.events, totalEvents),
    users_share_pct: percent(r.users, totalUsers),
  }));
  const ranked = (key: 'events' | 'users') =>
    all
      .filter((r) => r[key] > 0)
      .sort((a, b) => b[key] - a[key] || byText(a.client, b.client))
      .slice(0, CLIENT_LIST_LIMIT);
  return {
    ...base,
    total_events: totalEvents,
    total_users: totalUsers,
    by_events: ranked('events'),
    by_users: ranked('users'),
  };
}

/**
 * The most active and the most reliable watched relays.
 *
 * Activity ranks by corroborated events (events at least one other watched relay also delivered),
 * then events, then URL, and only relays with some: a relay streaming events from fresh keys that
 * no other relay carries serves nobody else's view of the network and cannot enter the list.
 *
 * Reliability ranks by uptime among relays observed at least half as long as the longest-observed
 * one (time they refused to serve left out), so a relay seen for a minute cannot top the list.
 * Relays that refuse to serve now (auth or payment required) or leave the subscription unanswered
 * are left out: uptime does not describe them.
 */
export function topRelaysSection(base: Base, relays: RelayFigures[]): TopRelaysSection {
  const watched = relays.filter((r) => r.watched);
  const mostActive = watched
    .filter((r) => r.row.corroborated > 0)
    .map((r) => r.row)
    .sort((a, b) => b.corroborated - a.corroborated || byEvents(a, b))
    .slice(0, TOP_RELAYS)
    .map((r) => ({
      url: r.url,
      name: r.name,
      events: r.events,
      share_pct: r.share_pct,
      corroborated: r.corroborated,
    }));
  const rankable = watched.filter(
    (r) => !RESTRICTED_STATUSES.has(r.row.status) && r.row.status !== 'unresponsive',
  );
  const longest = Math.max(0, ...rankable.map((r) => r.observedMs));
  const mostReliable = rankable
    .flatMap((r) =>
      r.row.uptime_pct !== null && r.observedMs * 2 >= longest
        ? [{ ...r.row, uptime_pct: r.row.uptime_pct }]
        : [],
    )
    .sort((a, b) => b.uptime_pct - a.uptime_pct || b.events - a.events || byText(a.url, b.url))
    .slice(0, TOP_RELAYS)
    .map((r) => ({ url: r.url, name: r.name, uptime_pct: r.uptime_pct, events: r.events }));
  return { ...base, most_active: mostActive, most_reliable: mostReliable };
}

/** Timeline of network-unique events, active and new users per bucket (zero-filled). */
export function activitySection(
  base: Base,
  window: RangeWindow,
  data: RangeData,
  /** False when no trust seeds are configured: the trusted figures are then null. */
  trust = true,
): Omit<ActivitySection, 'coverage'> {
  const events = new Map<string, number>();
  for (const e of data.networkEvents) {
    const key = bucketKey(e.t);
    events.set(key, (events.get(key) ?? 0) + e.events);
  }
  const users = new Map(data.activity.map((a) => [bucketKey(a.t), a]));
  const series = bucketStarts(window, firstDay(data)).map((t) => {
    const key = t.toISOString();
    const u = users.get(key);
    const active_users = u?.active_users ?? 0;
    const new_users = u?.new_users ?? 0;
    const tiers = bucketTiersAt(data.tierSeries, t);
    const trusted = (n: number | undefined) => (trust ? (n ?? null) : null);
    return {
      t: key,
      events: events.get(key) ?? 0,
      active_users,
      new_users,
      user_tiers: {
        active: {
          keys: active_users,
          profiled: tiers?.active_profiled ?? null,
          trusted: trusted(tiers?.active_trusted),
        },
        new: { keys: new_users, profiled: tiers?.new_profiled ?? null, trusted: trusted(tiers?.new_trusted) },
      },
    };
  });
  return { ...base, granularity: window.granularity, series };
}

function firstDay(data: RangeData): Date | null {
  return data.firstDay === null ? null : new Date(bucketKey(data.firstDay));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
