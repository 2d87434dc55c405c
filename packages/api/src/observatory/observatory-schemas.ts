import { z } from '@hono/zod-openapi';
import { rangeParamSchema } from '../routes/schemas.js';

/**
 * OpenAPI components of the relay observatory routes: one relay's history, its NIP-11 change log
 * and its badges. Definitions of every figure: docs/methodology.md, "Relay observatory".
 */

const isoTime = z.iso.datetime({ offset: true });

/** The `{url}` path parameter of every per-relay route. */
export const relayUrlParams = z.object({
  url: z
    .string()
    .min(1)
    .max(1024)
    .openapi({
      param: { name: 'url', in: 'path' },
      description: 'the relay URL, percent-encoded (e.g. `wss%3A%2F%2Frelay.damus.io`)',
      example: 'wss%3A%2F%2Frelay.damus.io',
    }),
});

/** `?range=` with the stats routes' default. */
export const rangeQueryField = rangeParamSchema.default('24h').openapi({
  param: {
    name: 'range',
    in: 'query',
    description: 'range (default 24h): 24h, 7d, 30d, 90d or all',
  },
});

const ms = z.number().nonnegative();

export const latencySummarySchema = z
  .object({
    avg: ms.nullable().describe('mean over the measurements, one decimal; null when none'),
    p50: ms
      .nullable()
      .describe('median, read from the latency histogram: the upper bound of its bucket; null when none'),
    p95: ms.nullable().describe('95th percentile, read the same way; null when none'),
    count: z
      .number()
      .int()
      .nonnegative()
      .describe('measurements: connections opened, or subscriptions answered'),
  })
  .openapi('LatencySummary');

const figures = {
  uptime_pct: z
    .number()
    .min(0)
    .max(100)
    .nullable()
    .describe('serving time over observed time less restricted time, in percent; null when no such time'),
  observed_ms: ms.describe('time a collector was responsible for the relay'),
  serving_ms: ms.describe('part of it in which the relay served the subscription'),
  restricted_ms: ms.describe('part of it in which the relay refused to serve for want of auth or payment'),
  open_latency_ms: latencySummarySchema.describe('connect → WebSocket open'),
  eose_latency_ms: latencySummarySchema.describe('REQ → EOSE'),
  events: z
    .number()
    .int()
    .nonnegative()
    .describe('valid events the relay delivered (each id once per relay)'),
  invalid: z.number().int().nonnegative().describe('copies with a wrong id or signature'),
  off_filter: z
    .number()
    .int()
    .nonnegative()
    .describe('copies sent outside the subscription that brought them'),
  connects: z.number().int().nonnegative().describe('sockets opened'),
  disconnects: z.number().int().nonnegative().describe('sockets that failed or closed'),
};

export const historyPointSchema = z
  .object({ t: isoTime.describe('start of the bucket (UTC hour or day)'), ...figures })
  .openapi('RelayHistoryPoint');

export const historySchema = z
  .object({
    url: z.string().describe('normalised relay URL'),
    range: rangeParamSchema,
    granularity: z.enum(['hour', 'day']),
    start: isoTime.nullable().describe("the window's inclusive start (null for `all`)"),
    generated_at: isoTime.describe('when the series was read from the database'),
    totals: z.object(figures).describe('the whole window: the points summed'),
    series: z.array(historyPointSchema).describe('one point per bucket, oldest first, gaps as zeros'),
  })
  .openapi('RelayHistory');

const nip11Value = z
  .union([z.string(), z.array(z.number().int()), z.record(z.string(), z.unknown())])
  .nullable()
  .describe('the value as the document stated it (null: absent)');

export const nip11ChangeSchema = z
  .object({
    at: isoTime.describe('when the collector fetched the document that showed the change'),
    field: z.enum(['name', 'software', 'version', 'supported_nips', 'limitation', 'fees']),
    old: nip11Value,
    new: nip11Value,
  })
  .openapi('Nip11Change');

export const changesSchema = z
  .object({
    url: z.string().describe('normalised relay URL'),
    checked_at: isoTime.nullable().describe("when the relay's NIP-11 document was last fetched"),
    changes: z.array(nip11ChangeSchema).describe('newest first'),
  })
  .openapi('RelayChanges');

export const BADGE_METRICS = ['uptime', 'latency', 'status'] as const;
export type BadgeMetric = (typeof BADGE_METRICS)[number];
