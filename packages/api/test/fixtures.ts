import {
  type FullSnapshot,
  fullSnapshotSchema,
  METHODOLOGY_VERSION,
  type RelayRow,
  type StatsRange,
} from '@nostr-info/shared/stats';

export interface FixtureOptions {
  computedAt?: Date;
  /** Relays in the `relays` section (the benchmark uses a few hundred). */
  relays?: number;
  /** Points in the time series. */
  points?: number;
  /** Added to counts so two fixtures differ. */
  seed?: number;
}

/** A relay URL of the fixture set. */
export const fixtureRelayUrl = (i: number): string => `wss://relay${i}.example.com`;

function relayRow(i: number, seed: number, computedAt: string): RelayRow {
  return {
    url: fixtureRelayUrl(i),
    name: i % 3 === 0 ? null : `Relay ${i}`,
    software: 'git+https://github.com/hoytech/strfry.git',
    version: '1.0.0',
    supported_nips: [1, 2, 9, 11, 40],
    auth_required: false,
    payment_required: i % 5 === 0,
    status: i % 7 === 0 ? 'offline' : 'online',
    uptime_pct: 90 + (i % 10),
    open_latency_ms: 120 + i,
    eose_latency_ms: i % 4 === 0 ? null : 300 + i,
    events: 1000 * (i + 1) + seed,
    events_by_kind: { '1': 800 * (i + 1) + seed, '7': 200 * (i + 1) },
    invalid: i % 3,
    off_filter: i % 2,
    share_pct: Math.min(100, (i % 50) + 0.5),
    corroborated: 900 * (i + 1) + seed,
    last_seen: computedAt,
    last_event_at: i % 6 === 0 ? null : computedAt,
  };
}

/** Builds a snapshot that validates against `fullSnapshotSchema` (checked here, so tests can trust it). */
export function buildSnapshot(range: StatsRange, options: FixtureOptions = {}): FullSnapshot {
  const { computedAt = new Date(), relays = 5, points = 24, seed = 0 } = options;
  const at = computedAt.toISOString();
  const base = { range, computed_at: at };
  const coverage = {
    collection_started_at: '2026-01-01T00:00:00.000Z',
    observed_fraction: 0.99,
    relays_watched: relays,
    backfill_since: null,
    known_since: '2026-01-01T00:00:00.000Z',
    new_users_status: 'ok' as const,
  };
  const rows = Array.from({ length: relays }, (_, i) => relayRow(i, seed, at));
  const step = range === '24h' ? 3_600_000 : 86_400_000;
  const times = Array.from({ length: points }, (_, i) =>
    new Date(computedAt.getTime() - (points - i) * step).toISOString(),
  );
  const snapshot: FullSnapshot = {
    ...base,
    methodology_version: METHODOLOGY_VERSION,
    overview: {
      ...base,
      relays: {
        known: relays + 10,
        watched: relays,
        online: relays - 1,
        unresponsive: 0,
        auth_required: 0,
        payment_required: 0,
        active: relays - 2,
      },
      events: { unique: 123_456 + seed, relay_sum: 456_789, invalid: 12, off_filter: 9, late: 7, future: 2 },
      users: { active: 4321, new: 123 },
      user_tiers: {
        active: { keys: 4321, profiled: 1200, trusted: 900 },
        new: { keys: 123, profiled: 20, trusted: 5 },
        trust_computed_at: at,
      },
      coverage,
      zaps: {
        count: 100,
        sats: 21_000,
        senders: 40,
        receivers: 30,
        tiers: {
          senders: { keys: 40, profiled: 31, trusted: 22 },
          receivers: { keys: 30, profiled: 27, trusted: 25 },
        },
        flagged: 1,
        rejected: {
          no_request: 5,
          bad_request: 1,
          recipient_mismatch: 0,
          implausible: 1,
          not_mainnet: 2,
          amount_mismatch: 0,
          zapper_mismatch: 3,
          unverified: 4,
          duplicate_payment: 6,
        },
        unverified: { count: 4, sats: 420 },
      },
      articles: 17,
      articles_deleted: 2,
      latency: {
        open_ms: { avg: 150.5, p50: 120, p95: 400 },
        eose_ms: { avg: null, p50: null, p95: null },
      },
    },
    relays: { ...base, relays: rows },
    events: {
      ...base,
      granularity: range === '24h' ? 'hour' : 'day',
      total: 123_456 + seed,
      by_kind: { '0': 100, '1': 100_000, '7': 23_356 + seed },
      series: times.map((t, i) => ({ t, total: 1000 + i, by_kind: { '1': 900 + i, '7': 100 } })),
      late: { total: 7, by_kind: { '0': 3, '1': 4 } },
      future: { total: 2, by_kind: { '1': 2 } },
      off_filter: { total: 9, by_reason: { subscription: 1, kind: 5, since: 3, until: 0 } },
      deletions: { total: 4, by_kind: { '1': 2, '30023': 1, unknown: 1 } },
    },
    clients: {
      ...base,
      total_events: 5000,
      total_users: 700,
      by_events: [
        {
          client: 'Damus',
          events: 3000,
          users: 400,
          users_tiers: { keys: 400, profiled: 250, trusted: 180 },
          events_share_pct: 60,
          users_share_pct: 57.1,
        },
        {
          client: 'Amethyst',
          events: 2000,
          users: 300,
          users_tiers: { keys: 300, profiled: 200, trusted: 150 },
          events_share_pct: 40,
          users_share_pct: 42.9,
        },
      ],
      by_users: [
        {
          client: 'Damus',
          events: 3000,
          users: 400,
          users_tiers: { keys: 400, profiled: 250, trusted: 180 },
          events_share_pct: 60,
          users_share_pct: 57.1,
        },
        {
          client: 'Amethyst',
          events: 2000,
          users: 300,
          users_tiers: { keys: 300, profiled: 200, trusted: 150 },
          events_share_pct: 40,
          users_share_pct: 42.9,
        },
      ],
    },
    top_relays: {
      ...base,
      most_active: rows.slice(0, 10).map((r) => ({
        url: r.url,
        name: r.name,
        events: r.events,
        share_pct: r.share_pct,
        corroborated: r.corroborated,
      })),
      most_reliable: rows
        .slice(0, 10)
        .map((r) => ({ url: r.url, name: r.name, uptime_pct: r.uptime_pct ?? 0, events: r.events })),
    },
    activity: {
      ...base,
      granularity: range === '24h' ? 'hour' : 'day',
      series: times.map((t, i) => ({
        t,
        events: 1000 + i,
        active_users: 300 + i,
        new_users: 10 + (i % 5),
        user_tiers: {
          active: { keys: 300 + i, profiled: 120 + i, trusted: 80 + i },
          new: { keys: 10 + (i % 5), profiled: 3, trusted: 1 },
        },
      })),
      coverage,
    },
    coverage,
    census: {
      ...base,
      relays,
      software: [{ software: 'strfry', relays, versions: [{ version: '1.0.0', relays }] }],
      nips: [
        { nip: 1, claimed: relays, observed: relays - 1 },
        { nip: 11, claimed: relays, observed: relays },
        { nip: 15, claimed: 0, observed: relays - 1 },
        { nip: 42, claimed: 0, observed: 0 },
      ],
      requirements: {
        auth_required: { claimed: 0, observed: 0 },
        payment_required: { claimed: 1, observed: 0 },
        restricted_writes: { claimed: 0 },
        restricted: { claimed: 1, observed: 0 },
      },
      networks: { clearnet: relays, tor: 0, i2p: 0 },
      ip_families: { ipv4_only: relays - 1, ipv6_only: 0, dual_stack: 1, unresolved: 0 },
      countries: [{ country: 'DE', relays }],
      asns: [{ asn: 24940, as_org: 'Hetzner Online GmbH', relays }],
      concentration: {
        located_by_country: relays,
        top3_countries_pct: 100,
        located_by_asn: relays,
        top3_asns_pct: 100,
      },
      sources: 'IP geolocation by DB-IP',
    },
    follow_graph: {
      ...base,
      trust_computed_at: new Date(Date.parse(base.computed_at) - 600_000).toISOString(),
      lists_published: 40 + seed,
      follows_per_list: { median: 120, p90: 640, mean: 210.4 },
      lists: 900,
      edges: 180_000,
      followers: {
        followed_keys: 5000,
        buckets: [
          { min: 1, max: 1, keys: 2500 },
          { min: 2, max: 9, keys: 1800 },
          { min: 10, max: 99, keys: 600 },
          { min: 100, max: 999, keys: 100 },
          { min: 1000, max: 9999, keys: 0 },
          { min: 10000, max: null, keys: 0 },
        ],
        median: 2,
        p90: 14,
        max: 870,
      },
      mutual_pct: 31.25,
      top_trusted: [{ pubkey: 'ab'.repeat(32), followers: 870, score: 0.012 }],
    },
  };
  return fullSnapshotSchema.parse(snapshot) as FullSnapshot;
}
