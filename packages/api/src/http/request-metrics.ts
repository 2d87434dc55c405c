import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { ApiMetrics } from '../metrics/api-metrics.js';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Records one request: count by route/method/status, duration by route/method. */
export type RequestRecorder = (route: string, method: string, status: number, seconds: number) => void;

/**
 * The recorder behind `requestMetrics`, also used by the server's fast lane. Label sets are few
 * (routes x methods x statuses): each child is kept instead of hashing labels on every request.
 */
export function createRequestRecorder(metrics: ApiMetrics): RequestRecorder {
  const counters = new Map<string, { inc(): void }>();
  const timers = new Map<string, { observe(value: number): void }>();
  return (route, method, status, seconds) => {
    const timerKey = `${method} ${route}`;
    const counterKey = `${status} ${timerKey}`;
    let counter = counters.get(counterKey);
    if (!counter) {
      counter = metrics.requests.labels({ route, method, status: String(status) });
      counters.set(counterKey, counter);
    }
    let timer = timers.get(timerKey);
    if (!timer) {
      timer = metrics.duration.labels({ route, method });
      timers.set(timerKey, timer);
    }
    counter.inc();
    timer.observe(seconds);
  };
}

/**
 * Counts requests and their duration by the matched route pattern (never the raw path, which a
 * client controls); requests that matched no route are labelled `unmatched`.
 */
export function requestMetrics(metrics: ApiMetrics): MiddlewareHandler {
  const record = createRequestRecorder(metrics);
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
      record(route, method, c.res.status, (performance.now() - started) / 1000);
    }
  };
}
