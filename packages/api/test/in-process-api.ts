import type { OpenAPIHono } from '@hono/zod-openapi';
import { STATS_RANGES } from '@nostr-info/shared/stats';
import { migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import { createApp } from '../src/app.js';
import { type ApiParts, createApiParts } from '../src/parts.js';
import { buildSnapshot, fixtureRelayUrl } from './fixtures.js';
import { type ApiContext, makeContext, seedSnapshot, uniquePrefix } from './helpers.js';
import { openApiValidator } from './openapi-validator.js';

export interface InProcessApi {
  ctx: ApiContext;
  parts: ApiParts;
  app: OpenAPIHono;
  validator: ReturnType<typeof openApiValidator>;
  computedAt: Date;
  close(): Promise<void>;
}

/**
 * An app for `app.request` on real Redis and Postgres: a snapshot per range (24h in the cache,
 * all in Postgres), one `relays` row. Every request comes from one in-process "client", so the
 * rate limit is raised.
 */
export async function inProcessApi(name: string): Promise<InProcessApi> {
  const computedAt = new Date(Date.now() - 60_000);
  const db = await migratedTestDatabase(`api_${name}`);
  const ctx = await makeContext({
    databaseUrl: db.url,
    redisUrl: testServices().TEST_REDIS_URL,
    keyPrefix: uniquePrefix(name),
    env: { RATE_LIMIT_MAX: '100000' },
  });
  for (const range of STATS_RANGES) {
    await seedSnapshot(ctx, buildSnapshot(range, { computedAt, relays: 30 }), { cache: range === '24h' });
  }
  await ctx.dbs.writer
    .insertInto('relays')
    .values({
      url: fixtureRelayUrl(1),
      source: 'seed',
      watched: true,
      name: 'Relay 1',
      supported_nips: [1, 11],
    })
    .execute();
  const parts = createApiParts(ctx, { snapshotMaxAgeMs: 60_000 });
  await parts.start();
  const app = createApp(ctx, { parts });
  const doc = (await (await app.request('/api/v1/openapi.json')).json()) as Record<string, unknown>;
  return {
    ctx,
    parts,
    app,
    validator: openApiValidator(doc),
    computedAt,
    close: async () => {
      await parts.stop();
      await ctx.close();
      await db.drop();
    },
  };
}
