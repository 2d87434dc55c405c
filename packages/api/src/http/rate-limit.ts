import type { Cache, WindowHit } from '@nostr-info/shared/cache';
import type { Logger } from '@nostr-info/shared/log';
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

/** The IETF `RateLimit-*` fields of one response. */
export interface RateLimitFields {
  'RateLimit-Limit': string;
  'RateLimit-Remaining': string;
  'RateLimit-Reset': string;
  'RateLimit-Policy': string;
}

/** What the limiter decided for one request. */
export type LimitOutcome =
  /** The store did not answer: let the request through, without `RateLimit-*` fields. */
  | { kind: 'open' }
  /** Within the budget: send these fields with the response. */
  | { kind: 'ok'; headers: RateLimitFields }
  /** Over the budget: answer with this 429 (its headers carry `Retry-After`). */
  | { kind: 'limited'; error: ApiError };

/** The limiter without Hono: the HTTP server's fast lane and the middleware share one. */
export interface RateLimiter {
  /** At once when the hit is answered locally (see `createHitBatcher`), else after the cache answers. */
  check(ip: string): LimitOutcome | Promise<LimitOutcome>;
  readonly trustProxyHops: number;
  /** The Hono middleware over `check`. */
  readonly middleware: MiddlewareHandler;
}

const OPEN: LimitOutcome = { kind: 'open' };

/**
 * Fixed-window limit per client IP, counted in the cache so every API replica spends one budget.
 * Sends the IETF `RateLimit-*` fields (draft-ietf-httpapi-ratelimit-headers) and 429 with
 * `Retry-After` past the limit. A cache outage lets requests through (and is counted): the limit
 * protects the service, it must not take it down. Concurrent hits of one client share one round
 * trip to the cache (`createHitBatcher`), with the same outcome as one increment each.
 */
export function createRateLimiter({
  cache,
  logger,
  metrics,
  max,
  windowSeconds,
  trustProxyHops,
  keyPrefix = 'ratelimit:',
  timeoutMs = 500,
  backoffMs = 5000,
}: RateLimitOptions): RateLimiter {
  const policy = `${max};w=${windowSeconds}`;
  const limit = String(max);
  const batcher = createHitBatcher({ cache, windowSeconds, limit: max, timeoutMs });
  const log = logger.child({ module: 'rate-limit' });
  let lastWarnMs = 0;
  let skipUntil = 0;

  const fail = (err: unknown): LimitOutcome => {
    metrics.rateLimitErrors.inc();
    skipUntil = Date.now() + backoffMs;
    if (Date.now() - lastWarnMs > 10_000) {
      lastWarnMs = Date.now();
      log.warn({ err }, 'rate-limit store unavailable; letting requests through');
    }
    return OPEN;
  };

  const decide = (hit: WindowHit): LimitOutcome => {
    const resetSeconds = Math.max(1, Math.ceil(hit.resetMs / 1000));
    const headers: RateLimitFields = {
      'RateLimit-Limit': limit,
      'RateLimit-Remaining': String(Math.max(0, max - hit.count)),
      'RateLimit-Reset': String(resetSeconds),
      'RateLimit-Policy': policy,
    };
    if (hit.count <= max) return { kind: 'ok', headers };
    metrics.rateLimited.inc();
    return {
      kind: 'limited',
      error: new ApiError(
        429,
        'rate_limited',
        `too many requests: ${max} per ${windowSeconds} s; retry in ${resetSeconds} s`,
        { headers: { ...headers, 'Retry-After': String(resetSeconds) } },
      ),
    };
  };

  const check = (ip: string): LimitOutcome | Promise<LimitOutcome> => {
    if (Date.now() < skipUntil) {
      metrics.rateLimitErrors.inc();
      return OPEN;
    }
    let hit: WindowHit | Promise<WindowHit>;
    try {
      hit = batcher.hit(`${keyPrefix}${ip}`);
    } catch (err) {
      return fail(err);
    }
    return hit instanceof Promise ? hit.then(decide, fail) : decide(hit);
  };

  const middleware: MiddlewareHandler = async function rateLimitMiddleware(c, next) {
    const outcome = await check(clientIp(c, trustProxyHops));
    if (outcome.kind === 'limited') throw outcome.error;
    await next();
    if (outcome.kind === 'ok')
      for (const [name, value] of Object.entries(outcome.headers)) c.res.headers.set(name, value);
  };
  return { check, trustProxyHops, middleware };
}

/** The rate limit as Hono middleware (see `createRateLimiter`). */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  return createRateLimiter(options).middleware;
}
