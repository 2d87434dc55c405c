import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { SectionName } from '@nostr-info/shared/stats';
import type { ApiParts } from '../parts.js';
import { errorResponses, notModified, rateLimitHeaders } from './responses.js';
import { fullSnapshotComponent, rangeParamSchema, sectionComponents } from './schemas.js';
import { sendSnapshot } from './send-snapshot.js';

const rangeQuery = z.object({
  range: rangeParamSchema.default('24h').openapi({
    param: {
      name: 'range',
      in: 'query',
      description: 'statistics range (default 24h): 24h, 7d, 30d, 90d or all',
    },
  }),
});
const rangePath = z.object({
  range: rangeParamSchema.openapi({ param: { name: 'range', in: 'path' } }),
});

/** Query-style section endpoints: URL segment → snapshot section (also the fast lane's table). */
export const QUERY_SECTIONS: readonly { segment: string; section: SectionName; summary: string }[] = [
  {
    segment: 'overview',
    section: 'overview',
    summary: 'Network overview: relays, events, users, zaps, latency',
  },
  { segment: 'relays', section: 'relays', summary: 'Every watched relay with its figures' },
  { segment: 'clients', section: 'clients', summary: 'Client (NIP-89 tag) usage by events and users' },
  { segment: 'top-relays', section: 'top_relays', summary: 'Most active and most reliable relays' },
  { segment: 'activity', section: 'activity', summary: 'Events, active and new users over time' },
  {
    segment: 'census',
    section: 'census',
    summary: 'Census of the relays: software and versions, NIP support, requirements, countries and ASNs',
  },
  {
    segment: 'follow-graph',
    section: 'follow_graph',
    summary: 'Follow graph: lists published, follows per list, followers, mutual follows, top trusted keys',
  },
];

const okHeaders = {
  ETag: { schema: { type: 'string' as const }, description: 'strong validator of this representation' },
  'Cache-Control': {
    schema: { type: 'string' as const },
    description: 'public, until the next scheduler run',
  },
  ...rateLimitHeaders,
};

/** Registers the `/api/v1/stats/*` routes (documented in OpenAPI). */
export function registerStatsRoutes(app: OpenAPIHono, parts: ApiParts): void {
  for (const { segment, section, summary } of QUERY_SECTIONS) {
    const route = createRoute({
      method: 'get',
      path: `/api/v1/stats/${segment}`,
      tags: ['stats'],
      summary,
      operationId: `get_${section}`,
      request: { query: rangeQuery },
      responses: {
        200: {
          description: `the \`${section}\` section of the newest snapshot`,
          headers: okHeaders,
          content: { 'application/json': { schema: sectionComponents[section] } },
        },
        ...notModified,
        ...errorResponses,
      },
    });
    app.openapi(route, async (c) => {
      const { range } = c.req.valid('query');
      return sendSnapshot(c, await parts.store.get(range), section);
    });
  }

  const events = createRoute({
    method: 'get',
    path: '/api/v1/stats/events/{range}',
    tags: ['stats'],
    summary: 'Event counts by kind, in total and over time',
    operationId: 'get_events',
    request: { params: rangePath },
    responses: {
      200: {
        description: 'the `events` section of the newest snapshot',
        headers: okHeaders,
        content: { 'application/json': { schema: sectionComponents.events } },
      },
      ...notModified,
      ...errorResponses,
    },
  });
  app.openapi(events, async (c) => {
    const { range } = c.req.valid('param');
    return sendSnapshot(c, await parts.store.get(range), 'events');
  });

  const full = createRoute({
    method: 'get',
    path: '/api/v1/stats/full/{range}',
    tags: ['stats'],
    summary: 'The whole snapshot of a range: every section at once',
    operationId: 'get_full',
    request: { params: rangePath },
    responses: {
      200: {
        description: 'the newest snapshot',
        headers: okHeaders,
        content: { 'application/json': { schema: fullSnapshotComponent } },
      },
      ...notModified,
      ...errorResponses,
    },
  });
  app.openapi(full, async (c) => {
    const { range } = c.req.valid('param');
    return sendSnapshot(c, await parts.store.get(range), 'full');
  });
}
