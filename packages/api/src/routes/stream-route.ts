import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import { clientIp } from '../http/client-ip.js';
import type { ApiParts } from '../parts.js';
import { errorSchema } from './schemas.js';

const route = createRoute({
  method: 'get',
  path: '/api/v1/stream',
  tags: ['stream'],
  summary: 'Server-Sent Events: `live` figures every few seconds, `snapshot` when new statistics land',
  description:
    'Events: `live` (JSON `LiveMessage`: events/s by kind, relays online), `snapshot` (JSON ' +
    '`{ computed_at, ranges }`), comments as heartbeats, `shutdown` before the server closes the ' +
    'stream (reconnect after the `retry:` delay). Open streams per client are capped over all ' +
    'API replicas.',
  operationId: 'stream',
  responses: {
    200: {
      description: 'an endless `text/event-stream`',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    429: {
      description: 'too many requests or too many open streams from this client',
      content: { 'application/json': { schema: errorSchema } },
    },
  },
});

/** Registers `GET /api/v1/stream` (SSE). */
export function registerStreamRoute(app: OpenAPIHono, parts: ApiParts, ctx: RoleContext<ApiEnv>): void {
  app.openapi(route, async (c) => {
    const headers = {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // Reverse proxies (nginx) must pass events through as they come.
      'X-Accel-Buffering': 'no',
    };
    // Hono answers HEAD with the GET handler and drops the body unread: open no stream for it.
    if (c.req.method === 'HEAD') return c.body(null, 200, headers);
    const ip = clientIp(c, ctx.env.TRUST_PROXY_HOPS);
    const stream = await parts.hub.open(ip, c.req.raw.signal, { event: 'live', data: parts.live.current() });
    return c.body(stream, 200, headers);
  });
}
