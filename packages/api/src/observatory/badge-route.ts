import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import { currentRelayStatus } from '@nostr-info/shared/relay';
import type { ApiParts } from '../parts.js';
import { errorResponses, notModified, rateLimitHeaders } from '../routes/responses.js';
import { maxAgeSeconds } from '../routes/send-snapshot.js';
import { renderBadge } from './badge-svg.js';
import { type BadgeContent, latencyBadge, statusBadge, uptimeBadge } from './badge-values.js';
import { notFound } from './history-route.js';
import { BADGE_METRICS, rangeQueryField, relayUrlParams } from './observatory-schemas.js';
import { findRelay, relayUrlOf } from './relay-lookup.js';
import { sendComputed } from './send-computed.js';

/** A status badge may be kept this long: a collector reports each relay about once a minute. */
const STATUS_MAX_AGE_SECONDS = 60;

const SVG = 'image/svg+xml; charset=utf-8';

const route = createRoute({
  method: 'get',
  path: '/api/v1/relays/{url}/badge.svg',
  tags: ['relays'],
  summary: "A badge for a relay operator's page: status, uptime or latency",
  description:
    "A flat, shields-style SVG. `status` is the relay's status now; `uptime` and `latency` (the mean " +
    'REQ → EOSE latency) are those of the relay detail for the range, from the newest snapshot.',
  operationId: 'get_relay_badge',
  request: {
    params: relayUrlParams,
    query: z.object({
      metric: z
        .enum(BADGE_METRICS)
        .default('status')
        .openapi({
          param: { name: 'metric', in: 'query', description: 'uptime, latency or status (default status)' },
        }),
      range: rangeQueryField,
    }),
  },
  responses: {
    200: {
      description: 'the badge',
      headers: {
        ETag: { schema: { type: 'string' }, description: 'strong validator of this representation' },
        'Cache-Control': {
          schema: { type: 'string' },
          description: 'public: a minute for `status`, else until the next scheduler run',
        },
        ...rateLimitHeaders,
      },
      content: { 'image/svg+xml': { schema: { type: 'string', description: 'an SVG document' } } },
    },
    ...notModified,
    ...notFound,
    ...errorResponses,
  },
});

/** Registers `GET /api/v1/relays/{url}/badge.svg`. */
export function registerBadgeRoute(app: OpenAPIHono, parts: ApiParts, ctx: RoleContext<ApiEnv>): void {
  app.openapi(route, async (c) => {
    const url = relayUrlOf(c.req.valid('param').url);
    const { metric, range } = c.req.valid('query');
    const relay = await findRelay(ctx, parts.metrics, url, 'read_relay_badge');
    let content: BadgeContent;
    let maxAge = STATUS_MAX_AGE_SECONDS;
    if (metric === 'status') {
      content = statusBadge(currentRelayStatus(relay, new Date()));
    } else {
      // The figures of the relay detail: the newest snapshot's row (503 while there is none).
      const entry = await parts.store.get(range);
      const row = entry.relayRow(url);
      content =
        metric === 'uptime'
          ? uptimeBadge(range, row?.uptime_pct ?? null)
          : latencyBadge(range, row?.eose_latency_ms ?? null);
      maxAge = maxAgeSeconds(entry.computedAtMs);
    }
    return sendComputed(c, renderBadge(content.label, content.value, content.color), {
      maxAgeSeconds: maxAge,
      contentType: SVG,
    });
  });
}
