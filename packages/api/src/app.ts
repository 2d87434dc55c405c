import type { ApiEnv, RoleContext } from '@nostr-info/shared';
import { Hono } from 'hono';

/** Builds the Hono application (no server): testable with `app.request`. */
export function createApp(ctx: RoleContext<ApiEnv>): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    const cacheUp = await ctx.cache.ping();
    return c.json({ status: cacheUp ? 'ready' : 'degraded', cache: cacheUp }, cacheUp ? 200 : 503);
  });
  app.get('/metrics', async (c) =>
    c.text(await ctx.registry.metrics(), 200, { 'Content-Type': ctx.registry.contentType }),
  );
  return app;
}
