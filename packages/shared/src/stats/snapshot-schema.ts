import { z } from 'zod';
import { OFF_FILTER_REASONS, type OffFilterReason } from '../nostr/collection-rules.js';
import { RELAY_STATUSES } from '../relay/relay-status.js';
import { censusFields } from './census-schema.js';
import { coverageSchema } from './coverage-schema.js';
import { followGraphFields } from './follow-graph-schema.js';
import { STATS_RANGES } from './ranges.js';
import { ZAP_REJECT_REASONS, type ZapRejectReason } from './zap-reasons.js';

/**
 * The JSON shapes of a statistics snapshot: written by the scheduler, served (and documented in
 * OpenAPI) by the API. Numbers are numbers, timestamps ISO-8601 UTC, kinds string keys.
 */

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative().nullable();
const pct = z.number().min(0).max(100);
const isoTime = z.iso.datetime({ offset: true });
const byKind = z.record(z.string().regex(/^\d+$/), count).describe('counts keyed by event kind');

export const rangeSchema = z
  .enum(STATS_RANGES)
  .describe('statistics range: the last 24 hours, 7, 30, 90 days, or all');

const sectionBase = {
  range: rangeSchema,
  computed_at: isoTime.describe('when the scheduler computed this snapshot'),
};

/**
 * The revision of docs/methodology.md the figures follow. It changes whenever a figure's meaning
 * changes (what counts, a new tier, the trust computation), so consumers can tell figures apart.
 */
export const METHODOLOGY_VERSION = '2026-12-06.2';

const tierCounts = z
  .object({
    keys: count.describe('every pubkey (the headline figure)'),
    profiled: count.describe('pubkeys with a profile (kind 0) and a follow list (kind 3) seen'),
    trusted: count
      .nullable()
      .describe('pubkeys in the web of trust (docs/methodology.md); null when no seeds are configured'),
  })
  .describe('one user figure by tier: keys, profiled keys, trusted keys');

/** A count that is null while the range starts before first-seen dates are known (`coverage`). */
const newCount = count.nullable();

const newTierCounts = z
  .object({
    keys: newCount.describe('every pubkey first seen in range; null while warming_up'),
    profiled: newCount.describe(
      'of them, pubkeys with a profile and a follow list seen; null while warming_up',
    ),
    trusted: newCount.describe(
      'of them, pubkeys in the web of trust; null while warming_up or when no seeds are configured',
    ),
  })
  .describe('new users by tier; every figure null when coverage.new_users_status is warming_up');

const userTiersSchema = z
  .object({
    active: tierCounts.describe('distinct pubkeys with an event in range, by tier'),
    new: newTierCounts.describe('pubkeys first seen in range, by tier'),
    trust_computed_at: isoTime
      .nullable()
      .describe('when the web of trust the trusted figures use was computed; null before the first one'),
  })
  .describe('users by tier: keys cost nothing, so profiled and trusted keys say how many are people');

const latencySchema = z.object({ avg: ms, p50: ms, p95: ms });

const untimelySchema = z.object({ total: count, by_kind: byKind });

const offFilterSchema = z
  .object({
    total: count,
    by_reason: z.object(
      Object.fromEntries(OFF_FILTER_REASONS.map((r) => [r, count])) as Record<OffFilterReason, typeof count>,
    ),
  })
  .describe(
    'copies relays sent outside the subscription that brought them (each id once per relay), by the ' +
      'first rule broken: subscription (an id never given), kind (not asked for), since, until; ' +
      'never counted as events',
  );

const deletionsSchema = z
  .object({
    total: count.describe(
      'network-unique deletions (kind 5) received in range (equals by_kind of events, kind 5)',
    ),
    by_kind: z
      .record(z.string().regex(/^(\d+|unknown)$/), count)
      .describe('deletions by the kinds their k tags name (each once per deletion); unknown: no k tag'),
  })
  .describe('NIP-09 deletion requests');

const zapRejectedSchema = z
  .object(
    Object.fromEntries(ZAP_REJECT_REASONS.map((r) => [r, count])) as Record<ZapRejectReason, typeof count>,
  )
  .describe('zap receipts not counted, by the first NIP-57 check they failed (docs/methodology.md)');

export const overviewSchema = z.object({
  ...sectionBase,
  relays: z.object({
    known: count.describe('relays in the database, discovered ones included'),
    watched: count.describe('relays the collectors watch'),
    online: count.describe('watched relays serving now: their subscription was answered (EOSE or events)'),
    unresponsive: count.describe(
      'watched relays whose socket is open but whose subscription went unanswered past the timeout',
    ),
    auth_required: count.describe('watched relays that serve only authenticated clients (NIP-42)'),
    payment_required: count.describe('watched relays that serve only paying clients'),
    active: count.describe('relays that delivered at least one event in range'),
  }),
  events: z.object({
    unique: count.describe('network-unique events (each id once)'),
    relay_sum: count.describe('sum over relays of the events each delivered'),
    invalid: count.describe('copies with a bad id or signature, over all relays'),
    off_filter: count.describe(
      'copies outside the subscription that brought them, over all relays (each id once per relay): never events',
    ),
    late: count.describe(
      'network-unique events first received over an hour after their created_at: not in unique',
    ),
    future: count.describe(
      'network-unique events dated over 15 minutes ahead when first received: not in unique',
    ),
  }),
  users: z.object({
    active: count.describe('distinct pubkeys with an event in range'),
    new: newCount.describe(
      'pubkeys first seen in range; null (coverage.new_users_status warming_up) when the range starts before first-seen dates are known',
    ),
  }),
  user_tiers: userTiersSchema,
  coverage: coverageSchema,
  zaps: z.object({
    count: count.describe('zap receipts that passed every NIP-57 check (accepted), each payment once'),
    sats: count.describe('sum of the accepted receipts, added to the millisatoshi, in whole sats'),
    senders: count.describe(
      'distinct senders of accepted zaps (zap request pubkeys; anonymous zaps are one)',
    ),
    receivers: count.describe('distinct receivers of accepted zaps'),
    tiers: z
      .object({
        senders: tierCounts.describe('`senders` by tier'),
        receivers: tierCounts.describe('`receivers` by tier'),
      })
      .describe('zap senders and receivers by tier (docs/methodology.md, overview.zaps.tiers)'),
    flagged: count.describe('receipts rejected for their amount (amount_mismatch + implausible), not summed'),
    rejected: zapRejectedSchema,
    unverified: z
      .object({ count, sats: count })
      .describe(
        "receipts whose recipient's zap provider could not be learned (no profile yet, endpoint down): " +
          'shown apart, never in count or sats',
      ),
  }),
  articles: count.describe(
    'distinct long-form articles (pubkey, d tag) published or updated in range, less those their author deleted',
  ),
  articles_deleted: count.describe(
    'distinct articles published or updated in range that their author deleted (NIP-09): not in articles',
  ),
  latency: z.object({ open_ms: latencySchema, eose_ms: latencySchema }),
});

/** A relay's service level in the range, from its confirmed outages (see docs/methodology.md). */
export const relaySlaSchema = z.object({
  availability_pct: pct.nullable().describe('the uptime of the range (uptime_pct), as the SLA states it'),
  outages: count.describe('confirmed outages that overlap the range (not serving past the grace)'),
  ongoing: z.boolean().describe('an outage is going on now'),
  mttr_seconds: z
    .number()
    .nonnegative()
    .nullable()
    .describe(
      'mean time to recovery: mean whole duration of the ended ones among them; null when none ended',
    ),
  mtbf_seconds: z
    .number()
    .nonnegative()
    .nullable()
    .describe(
      'mean time between failures: serving time in range over the outage count; null without outages',
    ),
  longest_outage_seconds: z
    .number()
    .nonnegative()
    .nullable()
    .describe('whole duration of the longest of them (an ongoing one: until now); null without outages'),
});

export const relayRowSchema = z.object({
  url: z.string(),
  name: z.string().nullable(),
  software: z.string().nullable(),
  version: z.string().nullable(),
  supported_nips: z.array(z.number().int()),
  auth_required: z.boolean().nullable(),
  payment_required: z.boolean().nullable(),
  status: z
    .enum(RELAY_STATUSES)
    .describe(
      'online: answers the subscription; unresponsive: socket open, subscription unanswered; ' +
        'auth_required / payment_required: up but serves only authenticated / paying clients; ' +
        'offline, stalled, unknown, error: see docs/methodology.md',
    ),
  uptime_pct: pct
    .nullable()
    .describe(
      'time the relay served the subscription over the time it was watched, leaving out time it ' +
        'refused to serve (auth or payment required); null when there is no such time',
    ),
  open_latency_ms: ms,
  eose_latency_ms: ms,
  events: count,
  events_by_kind: byKind,
  invalid: count,
  off_filter: count.describe(
    'copies this relay sent in range outside the subscription that brought them (each id once): never events',
  ),
  share_pct: pct.describe("this relay's share of network-unique events in range"),
  corroborated: count.describe(
    'events this relay delivered in range that at least one other watched relay also delivered ' +
      '(what most_active ranks by)',
  ),
  last_seen: isoTime.nullable().describe('last time the relay was connected'),
  last_event_at: isoTime.nullable(),
  sla: relaySlaSchema.optional().describe('service level in range; absent from snapshots older than outages'),
});

export const relaysSchema = z.object({ ...sectionBase, relays: z.array(relayRowSchema) });

const granularity = z.enum(['hour', 'day']);

export const eventsSchema = z.object({
  ...sectionBase,
  granularity,
  total: count,
  by_kind: byKind,
  series: z.array(z.object({ t: isoTime, total: count, by_kind: byKind })),
  late: untimelySchema.describe(
    'network-unique events first received over an hour after their created_at (rebroadcasts, replays, ' +
      'imports): credited to their relays, in no other network figure',
  ),
  future: untimelySchema.describe(
    'network-unique events dated over 15 minutes ahead when first received: credited to their relays, ' +
      'in no other network figure',
  ),
  off_filter: offFilterSchema,
  deletions: deletionsSchema,
});

export const clientRowSchema = z.object({
  client: z.string(),
  events: count,
  users: count,
  users_tiers: tierCounts.describe('`users` by tier'),
  events_share_pct: pct,
  users_share_pct: pct,
});

export const clientsSchema = z.object({
  ...sectionBase,
  total_events: count.describe('events that carried a client tag'),
  total_users: count,
  by_events: z.array(clientRowSchema),
  by_users: z.array(clientRowSchema),
});

export const topRelaysSchema = z.object({
  ...sectionBase,
  most_active: z
    .array(
      z.object({
        url: z.string(),
        name: z.string().nullable(),
        events: count,
        share_pct: pct,
        corroborated: count.describe('events also delivered by another watched relay: the ranking key'),
      }),
    )
    .describe('relays with the most corroborated events (events another watched relay also delivered)'),
  most_reliable: z
    .array(z.object({ url: z.string(), name: z.string().nullable(), uptime_pct: pct, events: count }))
    .describe(
      'relays with the highest uptime; relays that are auth_required, payment_required or ' +
        'unresponsive now are left out, as are relays with no uptime',
    ),
});

/** A tier figure of one bucket: null when its per-key rows were gone before the tiers were counted. */
const bucketTierCount = count.nullable();

const bucketTiersSchema = z
  .object({
    active: z
      .object({
        keys: count.describe('every pubkey with an event in the bucket (= active_users)'),
        profiled: bucketTierCount.describe(
          'of them, pubkeys with a profile and a follow list seen; null when not counted (docs/methodology.md)',
        ),
        trusted: bucketTierCount.describe(
          'of them, pubkeys in the web of trust; null when not counted or when no seeds are configured',
        ),
      })
      .describe('distinct pubkeys with an event in the bucket, by tier'),
    new: z
      .object({
        keys: newCount.describe('pubkeys first seen in the bucket (= new_users)'),
        profiled: newCount.describe('of them, pubkeys with a profile and a follow list seen'),
        trusted: newCount.describe('of them, pubkeys in the web of trust; null when no seeds are configured'),
      })
      .describe(
        'pubkeys first seen in the bucket, by tier; null where new_users is null, or when not counted',
      ),
  })
  .describe(
    "users of one bucket by tier, each key's tiers as of the last tier refresh (docs/methodology.md)",
  );

export const activitySchema = z.object({
  ...sectionBase,
  granularity,
  series: z.array(
    z.object({
      t: isoTime,
      events: count,
      active_users: count,
      new_users: newCount.describe('null for a bucket that starts before coverage.known_since'),
      user_tiers: bucketTiersSchema,
    }),
  ),
  coverage: coverageSchema,
});

export const censusSchema = z
  .object({ ...sectionBase, ...censusFields })
  .describe('a census of the relays observed in range: software, NIPs, requirements, where they run');

export const followGraphSchema = z
  .object({ ...sectionBase, ...followGraphFields })
  .describe(
    'statistics of the follow graph as of the last trust computation: lists, follows, followers, top trusted keys',
  );

/** What one snapshot row holds, and what `/api/v1/stats/full/:range` returns. */
export const fullSnapshotSchema = z.object({
  ...sectionBase,
  methodology_version: z
    .string()
    .describe('revision of docs/methodology.md the figures follow; changes when a meaning changes'),
  overview: overviewSchema,
  relays: relaysSchema,
  events: eventsSchema,
  clients: clientsSchema,
  top_relays: topRelaysSchema,
  activity: activitySchema,
  coverage: coverageSchema,
  census: censusSchema,
  follow_graph: followGraphSchema,
});

export type Overview = z.infer<typeof overviewSchema>;
export type UserTiers = z.infer<typeof userTiersSchema>;
export type RelayRow = z.infer<typeof relayRowSchema>;
export type RelaySla = z.infer<typeof relaySlaSchema>;
export type RelaysSection = z.infer<typeof relaysSchema>;
export type EventsSection = z.infer<typeof eventsSchema>;
export type ClientRow = z.infer<typeof clientRowSchema>;
export type ClientsSection = z.infer<typeof clientsSchema>;
export type TopRelaysSection = z.infer<typeof topRelaysSchema>;
export type ActivitySection = z.infer<typeof activitySchema>;
export type CensusSection = z.infer<typeof censusSchema>;
export type FollowGraphSection = z.infer<typeof followGraphSchema>;
export type FullSnapshot = z.infer<typeof fullSnapshotSchema>;

/** Section name → schema, for the per-section endpoints. */
export const sectionSchemas = {
  overview: overviewSchema,
  relays: relaysSchema,
  events: eventsSchema,
  clients: clientsSchema,
  top_relays: topRelaysSchema,
  activity: activitySchema,
  census: censusSchema,
  follow_graph: followGraphSchema,
} as const;
export type SectionName = keyof typeof sectionSchemas;
