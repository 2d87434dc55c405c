import { z } from 'zod';
import { STATS_RANGES } from './ranges.js';

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

const latencySchema = z.object({ avg: ms, p50: ms, p95: ms });

export const overviewSchema = z.object({
  ...sectionBase,
  relays: z.object({
    known: count.describe('relays in the database, discovered ones included'),
    watched: count.describe('relays the collectors watch'),
    online: count.describe('watched relays connected now'),
    active: count.describe('relays that delivered at least one event in range'),
  }),
  events: z.object({
    unique: count.describe('network-unique events (each id once)'),
    relay_sum: count.describe('sum over relays of the events each delivered'),
    invalid: count.describe('copies with a bad id or signature, over all relays'),
  }),
  users: z.object({
    active: count.describe('distinct pubkeys with an event in range'),
    new: count.describe('pubkeys first seen in range'),
  }),
  zaps: z.object({
    count,
    sats: count,
    senders: count,
    receivers: count,
    flagged: count.describe('receipts with implausible amounts, not summed'),
  }),
  articles: count.describe('distinct long-form articles (pubkey, d tag) published or updated in range'),
  latency: z.object({ open_ms: latencySchema, eose_ms: latencySchema }),
});

export const relayRowSchema = z.object({
  url: z.string(),
  name: z.string().nullable(),
  software: z.string().nullable(),
  version: z.string().nullable(),
  supported_nips: z.array(z.number().int()),
  auth_required: z.boolean().nullable(),
  payment_required: z.boolean().nullable(),
  status: z.enum(['unknown', 'online', 'offline', 'auth_required', 'error', 'stalled']),
  uptime_pct: pct.nullable(),
  open_latency_ms: ms,
  eose_latency_ms: ms,
  events: count,
  events_by_kind: byKind,
  invalid: count,
  share_pct: pct.describe("this relay's share of network-unique events in range"),
  last_seen: isoTime.nullable().describe('last time the relay was connected'),
  last_event_at: isoTime.nullable(),
});

export const relaysSchema = z.object({ ...sectionBase, relays: z.array(relayRowSchema) });

const granularity = z.enum(['hour', 'day']);

export const eventsSchema = z.object({
  ...sectionBase,
  granularity,
  total: count,
  by_kind: byKind,
  series: z.array(z.object({ t: isoTime, total: count, by_kind: byKind })),
});

export const clientRowSchema = z.object({
  client: z.string(),
  events: count,
  users: count,
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
  most_active: z.array(
    z.object({ url: z.string(), name: z.string().nullable(), events: count, share_pct: pct }),
  ),
  most_reliable: z.array(
    z.object({ url: z.string(), name: z.string().nullable(), uptime_pct: pct, events: count }),
  ),
});

export const activitySchema = z.object({
  ...sectionBase,
  granularity,
  series: z.array(z.object({ t: isoTime, events: count, active_users: count, new_users: count })),
});

/** What one snapshot row holds, and what `/api/v1/stats/full/:range` returns. */
export const fullSnapshotSchema = z.object({
  ...sectionBase,
  overview: overviewSchema,
  relays: relaysSchema,
  events: eventsSchema,
  clients: clientsSchema,
  top_relays: topRelaysSchema,
  activity: activitySchema,
});

export type Overview = z.infer<typeof overviewSchema>;
export type RelayRow = z.infer<typeof relayRowSchema>;
export type RelaysSection = z.infer<typeof relaysSchema>;
export type EventsSection = z.infer<typeof eventsSchema>;
export type ClientRow = z.infer<typeof clientRowSchema>;
export type ClientsSection = z.infer<typeof clientsSchema>;
export type TopRelaysSection = z.infer<typeof topRelaysSchema>;
export type ActivitySection = z.infer<typeof activitySchema>;
export type FullSnapshot = z.infer<typeof fullSnapshotSchema>;

/** Section name → schema, for the per-section endpoints. */
export const sectionSchemas = {
  overview: overviewSchema,
  relays: relaysSchema,
  events: eventsSchema,
  clients: clientsSchema,
  top_relays: topRelaysSchema,
  activity: activitySchema,
} as const;
export type SectionName = keyof typeof sectionSchemas;
