import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

type CorsOptions = NonNullable<Parameters<typeof cors>[0]>;

/**
 * Hono's `cors`, applied after the handler for simple requests. Run before the handler it reads
 * `c.res` early, and Hono then re-wraps the handler's response around its body stream, which
 * takes @hono/node-server off its fast path for byte bodies (the API benchmark's `full/all` case
 * shows the cost). Preflights (OPTIONS) are answered by `cors` as usual.
 */
export function corsHeaders(options: CorsOptions): MiddlewareHandler {
  const inner = cors(options);
  const noop = async () => {};
  return async function corsHeadersMiddleware(c, next) {
    if (c.req.method === 'OPTIONS') return inner(c, next);
    await next();
    await inner(c, noop);
  };
}
