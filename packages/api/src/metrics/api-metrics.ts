import { collectHotCells, METRIC_PREFIX } from '@nostr-info/shared/metrics';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The API's own instruments (names in docs/metrics.md, "API"). `requests` and `cacheLookups`
 * also take counts from hot cells (`hotCell`) when read.
 */
export interface ApiMetrics {
  requests: Counter<'route' | 'method' | 'status'>;
  duration: Histogram<'route' | 'method'>;
  cacheLookups: Counter<'layer' | 'result'>;
  rateLimited: Counter;
  rateLimitErrors: Counter;
  sseClients: Gauge;
  dbErrors: Counter<'service' | 'operation'>;
}

/**
 * Returns the metric already registered under `name` (all-in-one shares one registry between
 * roles, and `db_errors_total` is common to all of them) or registers a new one.
 */
export function shared<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** Registers the API's counters, histogram and gauges into `registry`. */
export function createApiMetrics(registry: Registry): ApiMetrics {
  const registers = [registry];
  return {
    requests: new Counter({
      name: `${METRIC_PREFIX}http_requests_total`,
      help: 'HTTP requests by matched route pattern, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers,
      collect: collectHotCells,
    }),
    duration: new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`,
      help: 'HTTP request duration until the response headers are ready.',
      labelNames: ['route', 'method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    cacheLookups: new Counter({
      name: `${METRIC_PREFIX}api_cache_requests_total`,
      help: 'Snapshot lookups by layer (memory, cache, database) and result (hit, miss, error).',
      labelNames: ['layer', 'result'],
      registers,
      collect: collectHotCells,
    }),
    rateLimited: new Counter({
      name: `${METRIC_PREFIX}api_rate_limited_total`,
      help: 'Requests answered 429 by the rate limiter.',
      registers,
    }),
    rateLimitErrors: new Counter({
      name: `${METRIC_PREFIX}api_rate_limit_errors_total`,
      help: 'Requests let through because the rate-limit store did not answer (fail open).',
      registers,
    }),
    sseClients: new Gauge({
      name: `${METRIC_PREFIX}api_sse_clients`,
      help: 'Open /api/v1/stream connections.',
      registers,
    }),
    dbErrors: shared(
      registry,
      `${METRIC_PREFIX}db_errors_total`,
      () =>
        new Counter({
          name: `${METRIC_PREFIX}db_errors_total`,
          help: 'Failed database operations (connection or query).',
          labelNames: ['service', 'operation'],
          registers,
        }),
    ),
  };
}
