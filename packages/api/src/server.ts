import { serve } from '@hono/node-server';
import type { ApiEnv, RoleContext, Service } from '@nostr-info/shared';
import { createApp } from './app.js';

/** Starts the HTTP API on `PORT`; `stop` stops accepting and finishes in-flight requests. */
export async function startApi(ctx: RoleContext<ApiEnv>): Promise<Service> {
  const app = createApp(ctx);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: ctx.env.PORT, hostname: ctx.env.HOST }, () => resolve(s));
  });
  ctx.logger.info({ port: ctx.env.PORT, host: ctx.env.HOST }, 'api listening');
  return {
    name: 'api',
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }),
  };
}
