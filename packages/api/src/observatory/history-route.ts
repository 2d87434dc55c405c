import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { rangeWindow } from '@nostr-info/scheduler';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import { ApiError } from '../errors.js';
import type { ApiParts } from '../parts.js';
import { errorResponses, notModified, rateLimitHeaders } from '../routes/responses.js';
import { errorSchema } from '../routes/schemas.js';
import { readHistoryRows } from './history-read.js';
import { buildHistory } from './history-series.js';
import { historySchema, rangeQueryField, relayUrlParams } from './observatory-schemas.js';
import { findRelay, relayUrlOf } from './relay-lookup.js';
import { cachedBody, sendComputed } from './send-computed.js';

/** How long a history is shared from the cache and may be kept by clients. */
export const HISTORY_TTL_SECONDS = 60;

/** Headers of a 200 from a route whose body is read on request and cached briefly. */
export const computedHeaders = {
  ETag: { schema: { type: 'string' as const }, description: 'strong validator of this representation' },
  'Cache-Control': { schema: { type: 'string' as const }, description: 'public, for up to a minute' },
  ...rateLimitHeaders,
};

export const notFound = {
  404: {
    description: 'no relay with this URL is known',
    content: { 'application/json': { schema: errorSchema } },
  },
};

const route = createRoute({
  method: 'get',
  path: '/api/v1/relays/{url}/history',
  tags: ['relays'],
  summary: "One relay's history: uptime, latency, events, invalid and off-filter copies, disconnects",
  description:
    'A point per hour (24h, 7d) or per day (30d, 90d, all), summing to the totals of the range. Read from ' +
    "the relay's stored counters at request time (shared for a minute), so it may run a little ahead of " +
    'the relay detail, which comes from the newest snapshot.',
  operationId: 'get_relay_history',
  request: { params: relayUrlParams, query: z.object({ range: rangeQueryField }) },
  responses: {
    200: {
      description: 'the series',
      headers: computedHeaders,
      content: { 'application/json': { schema: historySchema } },
    },
    ...notModified,
    ...notFound,
    ...errorResponses,
  },
});

/** Registers `GET /api/v1/relays/{url}/history`. */
export function registerHistoryRoute(app: OpenAPIHono, parts: ApiParts, ctx: RoleContext<ApiEnv>): void {
  const log = ctx.logger.child({ module: 'relay-history' });
  app.openapi(route, async (c) => {
    const url = relayUrlOf(c.req.valid('param').url);
    const { range } = c.req.valid('query');
    const body = await cachedBody(
      { cache: ctx.cache, logger: log },
      `relay-history:${range}:${url}`,
      HISTORY_TTL_SECONDS,
      async () => {
        const relay = await findRelay(ctx, parts.metrics, url, 'read_relay_history');
        const now = new Date();
        const window = rangeWindow(range, now);
        try {
          const rows = await readHistoryRows(ctx.dbs.reader, window, relay.id);
          return JSON.stringify(buildHistory(url, window, rows, now));
        } catch (err) {
          parts.metrics.dbErrors.inc({ service: 'api', operation: 'read_relay_history' });
          log.warn({ err }, 'reading a relay history failed');
          throw new ApiError(503, 'unavailable', 'the database is not answering; try again shortly', {
            cause: err,
          });
        }
      },
    );
    return sendComputed(c, body, { maxAgeSeconds: HISTORY_TTL_SECONDS });
  });
}
