import { z } from '@hono/zod-openapi';
import { RELAY_STATUSES } from '@nostr-info/shared/relay';
import {
  activitySchema,
  censusSchema,
  clientRowSchema,
  clientsSchema,
  eventsSchema,
  followGraphSchema,
  fullSnapshotSchema,
  overviewSchema,
  relayRowSchema,
  relaysSchema,
  STATS_RANGES,
  topRelaysSchema,
} from '@nostr-info/shared/stats';
import { monitorsSchema } from '../observatory/monitor-agreement.js';

type Named = <T extends z.ZodType>(schema: T, refId: string) => T;

/**
 * Names a schema as an OpenAPI component. The shared schemas may be built before
 * `@hono/zod-openapi` extends zod (module evaluation order), so their instances can lack the
 * `.openapi` method; the prototype's method works on any instance.
 */
export const named: Named = (schema, refId) =>
  (z.ZodType.prototype as unknown as { openapi: (this: unknown, id: string) => unknown }).openapi.call(
    schema,
    refId,
  ) as typeof schema;

/**
 * OpenAPI components: the shared snapshot schemas (what the scheduler writes) under stable names,
 * plus the API's own error, health and relay-detail shapes.
 */

export const rangeParamSchema = z.enum(STATS_RANGES).openapi('Range', {
  description: 'statistics range: the last 24 hours, 7, 30, 90 days, or all',
  example: '24h',
});

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_range' }),
      message: z.string().openapi({ example: 'range must be one of 24h, 7d, 30d, 90d, all' }),
    }),
  })
  .openapi('Error');

export const relayRowComponent = named(relayRowSchema, 'RelayRow');
export const clientRowComponent = named(clientRowSchema, 'ClientRow');

export const sectionComponents = {
  overview: named(overviewSchema, 'Overview'),
  relays: named(relaysSchema, 'RelaysSection'),
  events: named(eventsSchema, 'EventsSection'),
  clients: named(clientsSchema, 'ClientsSection'),
  top_relays: named(topRelaysSchema, 'TopRelaysSection'),
  activity: named(activitySchema, 'ActivitySection'),
  census: named(censusSchema, 'CensusSection'),
  follow_graph: named(followGraphSchema, 'FollowGraphSection'),
} as const;

export const fullSnapshotComponent = named(fullSnapshotSchema, 'FullSnapshot');

export const healthSchema = z.object({ status: z.literal('ok') }).openapi('Health');

export const readySchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    cache: z.boolean().describe('the cache backend answers'),
    database: z.boolean().describe('the database answers'),
  })
  .openapi('Ready');

const isoTime = z.iso.datetime({ offset: true });

/** The `relays` table row as shown publicly (NIP-11 fields and health). */
export const relayInfoSchema = z
  .object({
    url: z.string(),
    source: z.enum(['seed', 'discovered', 'manual']),
    watched: z.boolean(),
    first_seen_at: isoTime,
    name: z.string().nullable(),
    description: z.string().nullable(),
    pubkey: z.string().nullable(),
    contact: z.string().nullable(),
    software: z.string().nullable(),
    version: z.string().nullable(),
    supported_nips: z.array(z.number().int()).nullable(),
    auth_required: z.boolean().nullable(),
    payment_required: z.boolean().nullable(),
    restricted_writes: z.boolean().nullable(),
    max_message_length: z.number().int().nullable(),
    max_subscriptions: z.number().int().nullable(),
    status: z.enum(RELAY_STATUSES).openapi({
      description:
        'as last reported by the collector holding the relay (a discovered relay no collector has held: what its probe found); `online` when the relay answers the subscription, `unresponsive` when its socket is open but the subscription went unanswered, `auth_required` / `payment_required` when it serves only authenticated / paying clients; `unknown` when no collector has reported it for five minutes, or a watched relay never was',
    }),
    status_changed_at: isoTime.nullable().openapi({
      description:
        'when `status` took its value; for `unknown` after missed reports, five minutes after the last report',
    }),
    last_connected_at: isoTime.nullable(),
    last_disconnected_at: isoTime.nullable(),
    last_event_at: isoTime.nullable(),
    open_latency_ms: z.number().nullable(),
    eose_latency_ms: z.number().nullable(),
    nip11_fetched_at: isoTime.nullable(),
  })
  .openapi('RelayInfo');

export const relayDetailSchema = z
  .object({
    url: z.string().describe('normalised relay URL'),
    range: rangeParamSchema,
    computed_at: isoTime.nullable().describe('when the statistics below were computed'),
    relay: relayInfoSchema.nullable().describe('what the database knows about the relay'),
    stats: relayRowComponent.nullable().describe("the relay's row in the newest snapshot of the range"),
    monitors: monitorsSchema
      .nullable()
      .describe('other NIP-66 monitors reporting the relay, and how many agree with its status here'),
  })
  .openapi('RelayDetail');

export const liveMessageSchema = z
  .object({
    at: isoTime,
    events_per_second: z.number().nonnegative(),
    events_per_second_by_kind: z.record(z.string(), z.number().nonnegative()),
    relays_online: z.number().int().nonnegative(),
    relays_owned: z.number().int().nonnegative(),
    collectors: z.number().int().nonnegative(),
  })
  .openapi('LiveMessage');
