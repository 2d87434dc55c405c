import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { rangeWindow } from '@nostr-info/scheduler';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import type { OutageCauseClass } from '@nostr-info/shared/relay';
import { ApiError } from '../errors.js';
import type { ApiParts } from '../parts.js';
import { errorResponses, notModified } from '../routes/responses.js';
import { computedHeaders, notFound } from './history-route.js';
import { rangeQueryField, relayUrlParams } from './observatory-schemas.js';
import { readOutages } from './outages-read.js';
import { outagesSchema } from './outages-schemas.js';
import { findRelay, relayUrlOf } from './relay-lookup.js';
import { cachedBody, sendComputed } from './send-computed.js';

/**
 * How long an outage list is shared from the cache: short, because an outage's end is the news
 * people wait for (the collector writes it within a flush of the relay serving again).
 */
const OUTAGES_TTL_SECONDS = 10;

const route = createRoute({
  method: 'get',
  path: '/api/v1/relays/{url}/outages',
  tags: ['relays'],
  summary: "One relay's outages: start, end or ongoing, duration and cause",
  description:
    'Confirmed outages (the relay did not serve for longer than the grace, short returns included) ' +
    'overlapping the range, newest first, with the cause class of the failure that kept the relay ' +
    'away. Read from the database at request time (shared for 10 s).',
  operationId: 'get_relay_outages',
  request: { params: relayUrlParams, query: z.object({ range: rangeQueryField }) },
  responses: {
    200: {
      description: 'the outages',
      headers: computedHeaders,
      content: { 'application/json': { schema: outagesSchema } },
    },
    ...notModified,
    ...notFound,
    ...errorResponses,
  },
});

/** Registers `GET /api/v1/relays/{url}/outages`. */
export function registerOutagesRoute(app: OpenAPIHono, parts: ApiParts, ctx: RoleContext<ApiEnv>): void {
  const log = ctx.logger.child({ module: 'relay-outages' });
  app.openapi(route, async (c) => {
    const url = relayUrlOf(c.req.valid('param').url);
    const { range } = c.req.valid('query');
    const body = await cachedBody(
      { cache: ctx.cache, logger: log },
      `relay-outages:${range}:${url}`,
      OUTAGES_TTL_SECONDS,
      async () => {
        const relay = await findRelay(ctx, parts.metrics, url, 'read_relay_outages');
        const now = new Date();
        const window = rangeWindow(range, now);
        try {
          const { rows, truncated } = await readOutages(ctx.dbs.reader, relay.id, window);
          return JSON.stringify({
            url,
            range,
            start: window.start ? window.start.toISOString() : null,
            generated_at: now.toISOString(),
            outages: rows.map((r) => ({
              started_at: r.started_at.toISOString(),
              ended_at: r.ended_at ? r.ended_at.toISOString() : null,
              ongoing: r.ended_at === null,
              duration_seconds: Math.max(0, ((r.ended_at ?? now).getTime() - r.started_at.getTime()) / 1000),
              cause: r.cause as OutageCauseClass,
              detail: r.detail,
            })),
            truncated,
          });
        } catch (err) {
          parts.metrics.dbErrors.inc({ service: 'api', operation: 'read_relay_outages' });
          log.warn({ err }, 'reading a relay outage list failed');
          throw new ApiError(503, 'unavailable', 'the database is not answering; try again shortly', {
            cause: err,
          });
        }
      },
    );
    return sendComputed(c, body, { maxAgeSeconds: OUTAGES_TTL_SECONDS });
  });
}
