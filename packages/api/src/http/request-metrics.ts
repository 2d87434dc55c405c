import { type HotCell, hotCell } from '@nostr-info/shared/metrics';
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { ApiMetrics } from '../metrics/api-metrics.js';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Records one request: count by route/method/status, duration by route/method. */
export type RequestRecorder = (route: string, method: string, status: number, seconds: number) => void;

/** Records one request of a route and method fixed beforehand. */
export type RouteRecorder = (status: number, seconds: number) => void;

/**
 * The recorder of one route and method (the server's fast lane keeps one per route). Counts go
 * to hot cells (`hotCell`: no label hashing per request), the duration to a histogram child.
 */
export function createRouteRecorder(metrics: ApiMetrics, route: string, method: string): RouteRecorder {
  const counts = new Map<number, HotCell>();
  const timer = metrics.duration.labels({ route, method });
  return (status, seconds) => {
    let cell = counts.get(status);
    if (!cell) {
      cell = hotCell(metrics.requests, { route, method, status: String(status) });
      counts.set(status, cell);
    }
    cell.n++;
    timer.observe(seconds);
  };
}

/** The recorder behind `requestMetrics`: one `createRouteRecorder` per route and method seen. */
export function createRequestRecorder(metrics: ApiMetrics): RequestRecorder {
  const routes = new Map<string, RouteRecorder>();
  return (route, method, status, seconds) => {
    const key = `${method} ${route}`;
    let record = routes.get(key);
    if (!record) {
      record = createRouteRecorder(metrics, route, method);
      routes.set(key, record);
    }
    record(status, seconds);
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
