import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { ApiMetrics } from '../metrics/api-metrics.js';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Counts requests and their duration by the matched route pattern (never the raw path, which a
 * client controls); requests that matched no route are labelled `unmatched`.
 */
export function requestMetrics(metrics: ApiMetrics): MiddlewareHandler {
  return async function requestMetricsMiddleware(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      let route = 'unmatched';
      const routes = matchedRoutes(c);
      for (let i = routes.length - 1; i >= 0; i--) {
        const r = routes[i];
        if (r && r.method !== 'ALL') {
          route = r.path;
          break;
        }
      }
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      metrics.requests.inc({ route, method, status: String(c.res.status) });
      metrics.duration.observe({ route, method }, (performance.now() - started) / 1000);
    }
  };
}
