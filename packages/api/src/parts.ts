import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import type { MiddlewareHandler } from 'hono';
import { createRateLimiter, type RateLimiter } from './http/rate-limit.js';
import { type ApiMetrics, createApiMetrics } from './metrics/api-metrics.js';
import { registerScrapeGauges } from './metrics/scrape-gauges.js';
import { createSnapshotStore, type SnapshotStore } from './snapshot/snapshot-store.js';
import { createLiveFeed, type LiveFeed } from './sse/live-feed.js';
import { createStreamHub, type StreamHub } from './sse/stream-hub.js';

/** Tunables of the API's moving parts (tests shorten them). */
export interface ApiPartsOptions {
  /** In-process snapshot copies are re-checked after this long. */
  snapshotMaxAgeMs?: number;
  /** How often stream clients get a `live` message. */
  liveIntervalMs?: number;
  heartbeatMs?: number;
  sseRetryMs?: number;
  /** A stream slot (shared per-client cap) lapses this long after its replica last renewed it. */
  sseSlotTtlMs?: number;
  /** Longest accepted request target (path and query), in bytes; longer gets 414. */
  maxUrlLength?: number;
}

/** Everything the routes share: snapshot store, live feed, stream hub, limiter and metrics. */
export interface ApiParts {
  readonly store: SnapshotStore;
  readonly live: LiveFeed;
  readonly hub: StreamHub;
  readonly metrics: ApiMetrics;
  readonly limiter: MiddlewareHandler;
  /** The limiter behind `limiter`, for the server's fast lane. */
  readonly rateLimiter: RateLimiter;
  readonly maxUrlLength: number;
  /** Subscribes to the snapshot and live channels and starts the live ticker. */
  start(): Promise<void>;
  /** Ends the streams (with a retry hint) and unsubscribes. */
  stop(): Promise<void>;
}

/** Builds the parts and registers the API's metrics into `ctx.registry`. */
export function createApiParts(ctx: RoleContext<ApiEnv>, options: ApiPartsOptions = {}): ApiParts {
  const {
    snapshotMaxAgeMs = 5000,
    liveIntervalMs = 5000,
    heartbeatMs = 15_000,
    sseRetryMs = 3000,
    sseSlotTtlMs = 30_000,
    maxUrlLength = 2048,
  } = options;
  const { cache, dbs, logger, registry, env } = ctx;
  const log = logger.child({ module: 'api' });
  const metrics = createApiMetrics(registry);
  const store = createSnapshotStore({ cache, dbs, logger: log, metrics, maxAgeMs: snapshotMaxAgeMs });
  const live = createLiveFeed({ cache, logger: log });
  const hub = createStreamHub({
    metrics,
    cache,
    logger: log,
    maxPerClient: env.SSE_MAX_PER_CLIENT,
    slotTtlMs: sseSlotTtlMs,
    heartbeatMs,
    retryMs: sseRetryMs,
  });
  const rateLimiter = createRateLimiter({
    cache,
    logger: log,
    metrics,
    max: env.RATE_LIMIT_MAX,
    windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
    trustProxyHops: env.TRUST_PROXY_HOPS,
  });
  registerScrapeGauges({ registry, cache, dbs, logger: log, store, metrics });
  store.onNotice((notice) => hub.broadcast('snapshot', notice));
  let ticker: NodeJS.Timeout | undefined;
  return {
    store,
    live,
    hub,
    metrics,
    limiter: rateLimiter.middleware,
    rateLimiter,
    maxUrlLength,
    async start() {
      await Promise.all([store.start(), live.start()]);
      ticker ??= setInterval(() => {
        if (hub.size > 0) hub.broadcast('live', live.current());
      }, liveIntervalMs);
      ticker.unref();
    },
    async stop() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      await Promise.all([hub.close(), store.stop(), live.stop()]);
    },
  };
}
