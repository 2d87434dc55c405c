import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import { PACKAGE_VERSION } from '@nostr-info/shared/metrics';
import { sql } from 'kysely';
import { DOCS_CSS, renderDocsPage } from '../docs/docs-page.js';
import { within } from '../timeout.js';
import { healthSchema, readySchema } from './schemas.js';

const OPENAPI_PATH = '/api/v1/openapi.json';
const DOCS_CSS_PATH = '/api/v1/docs/docs.css';

/** The document's top-level fields. */
export const OPENAPI_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'nostr-info API',
    version: PACKAGE_VERSION,
    description:
      'Read-only statistics of the Nostr network: relays, events, users, clients and zaps, ' +
      'recomputed every five minutes. Stats and relay routes are rate limited per client IP.',
  },
  tags: [
    { name: 'stats', description: 'statistics snapshots by range' },
    { name: 'relays', description: 'single relays' },
    { name: 'stream', description: 'live updates' },
    { name: 'ops', description: 'health and readiness' },
  ],
};

/** Registers health, readiness, metrics, the OpenAPI document and the docs page. */
export function registerOpsRoutes(app: OpenAPIHono, ctx: RoleContext<ApiEnv>): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['ops'],
      summary: 'Liveness: the process answers',
      operationId: 'health',
      responses: { 200: { description: 'alive', content: { 'application/json': { schema: healthSchema } } } },
    }),
    (c) => c.json({ status: 'ok' as const }, 200, { 'Cache-Control': 'no-store' }),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/ready',
      tags: ['ops'],
      summary: 'Readiness: the cache or the database answers (either can serve snapshots)',
      operationId: 'ready',
      responses: {
        200: { description: 'ready', content: { 'application/json': { schema: readySchema } } },
        503: {
          description: 'neither backend answers',
          content: { 'application/json': { schema: readySchema } },
        },
      },
    }),
    async (c) => {
      const [cache, database] = await Promise.all([
        within(ctx.cache.ping(), 1000, false),
        within(
          sql`select 1`
            .execute(ctx.dbs.reader)
            .then(() => true)
            .catch(() => false),
          2000,
          false,
        ),
      ]);
      const ready = cache || database;
      return c.json(
        { status: ready ? ('ready' as const) : ('unavailable' as const), cache, database },
        ready ? 200 : 503,
        {
          'Cache-Control': 'no-store',
        },
      );
    },
  );

  app.get('/metrics', async (c) =>
    c.body(await ctx.registry.metrics(), 200, {
      'Content-Type': ctx.registry.contentType,
      'Cache-Control': 'no-store',
    }),
  );

  let document: Record<string, unknown> | undefined;
  const openapi = () => {
    document ??= app.getOpenAPI31Document(OPENAPI_CONFIG) as unknown as Record<string, unknown>;
    return document;
  };
  app.get(OPENAPI_PATH, (c) => c.json(openapi(), 200, { 'Cache-Control': 'public, max-age=300' }));

  let page: string | undefined;
  app.get('/api/v1/docs', (c) => {
    page ??= renderDocsPage(openapi(), DOCS_CSS_PATH);
    return c.html(page, 200, { 'Cache-Control': 'public, max-age=300' });
  });
  app.get(DOCS_CSS_PATH, (c) =>
    c.body(DOCS_CSS, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  );
}
