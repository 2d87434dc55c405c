import type { Cache, Logger } from '@nostr-info/shared';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import { clientIp } from './client-ip.js';
import { createHitBatcher } from './hit-batcher.js';

export interface RateLimitOptions {
  cache: Cache;
  logger: Logger;
  metrics: ApiMetrics;
  max: number;
  windowSeconds: number;
  trustProxyHops: number;
  /** Key namespace inside the cache (the cache adds its own prefix). */
  keyPrefix?: string;
  /** A store slower than this lets the request through (fail open). */
  timeoutMs?: number;
  /** After a store failure, requests skip the store for this long instead of each waiting. */
  backoffMs?: number;
}

/**
 * Fixed-window limit per client IP, counted in the cache so every API replica spends one budget.
 * Sends the IETF `RateLimit-*` fields (draft-ietf-httpapi-ratelimit-headers) and 429 with
 * `Retry-After` past the limit. A cache outage lets requests through (and is counted): the limit
 * protects the service, it must not take it down. Concurrent hits of one client share one round
 * trip to the cache (`createHitBatcher`), with the same outcome as one increment each.
 */
export function rateLimit({
  cache,
  logger,
  metrics,
  max,
  windowSeconds,
  trustProxyHops,
  keyPrefix = 'ratelimit:',
  timeoutMs = 500,
  backoffMs = 5000,
}: RateLimitOptions): MiddlewareHandler {
  const policy = `${max};w=${windowSeconds}`;
  const limit = String(max);
  const batcher = createHitBatcher({ cache, windowSeconds, timeoutMs });
  const log = logger.child({ module: 'rate-limit' });
  let lastWarnMs = 0;
  let skipUntil = 0;
  return async function rateLimitMiddleware(c, next) {
    const ip = clientIp(c, trustProxyHops);
    if (Date.now() < skipUntil) {
      metrics.rateLimitErrors.inc();
      return next();
    }
    let hit: { count: number; resetMs: number };
    try {
      hit = await batcher.hit(`${keyPrefix}${ip}`);
    } catch (err) {
      metrics.rateLimitErrors.inc();
      skipUntil = Date.now() + backoffMs;
      if (Date.now() - lastWarnMs > 10_000) {
        lastWarnMs = Date.now();
        log.warn({ err }, 'rate-limit store unavailable; letting requests through');
      }
      return next();
    }
    const resetSeconds = Math.max(1, Math.ceil(hit.resetMs / 1000));
    const headers = {
      'RateLimit-Limit': limit,
      'RateLimit-Remaining': String(Math.max(0, max - hit.count)),
      'RateLimit-Reset': String(resetSeconds),
      'RateLimit-Policy': policy,
    };
    if (hit.count > max) {
      metrics.rateLimited.inc();
      throw new ApiError(
        429,
        'rate_limited',
        `too many requests: ${max} per ${windowSeconds} s; retry in ${resetSeconds} s`,
        {
          headers: { ...headers, 'Retry-After': String(resetSeconds) },
        },
      );
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
