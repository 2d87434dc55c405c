import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { ApiMetrics } from '../metrics/api-metrics.js';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Counts requests and their duration by the matched route pattern (never the raw path, which a
 * client controls); requests that matched no route are labelled `unmatched`.
 */
export function requestMetrics(metrics: ApiMetrics): MiddlewareHandler {
  // Label sets are few (routes x methods x statuses): keep each child instead of hashing labels
  // on every request.
  const counters = new Map<string, { inc(): void }>();
  const timers = new Map<string, { observe(value: number): void }>();
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
      const status = String(c.res.status);
      const timerKey = `${method} ${route}`;
      const counterKey = `${status} ${timerKey}`;
      let counter = counters.get(counterKey);
      if (!counter) {
        counter = metrics.requests.labels({ route, method, status });
        counters.set(counterKey, counter);
      }
      let timer = timers.get(timerKey);
      if (!timer) {
        timer = metrics.duration.labels({ route, method });
        timers.set(timerKey, timer);
      }
      counter.inc();
      timer.observe((performance.now() - started) / 1000);
    }
  };
}
