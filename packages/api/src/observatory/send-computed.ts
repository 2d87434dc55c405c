import type { Cache } from '@nostr-info/shared/cache';
import type { Logger } from '@nostr-info/shared/log';
import type { Context } from 'hono';
import { sendEncoded } from '../http/negotiate.js';
import { encodeBody } from '../snapshot/encode.js';
import { within } from '../timeout.js';

/** A cache read slower than this is skipped: the database answers instead. */
const CACHE_TIMEOUT_MS = 500;

/**
 * A body read from the database, shared by every API replica through the cache for `ttlSeconds`:
 * the cached copy when there is one, else `compute()`, stored for the others. A cache that fails
 * or is slow is passed by (the body is computed, not stored), never an error for the client.
 */
export async function cachedBody(
  { cache, logger }: { cache: Cache; logger: Logger },
  key: string,
  ttlSeconds: number,
  compute: () => Promise<string>,
): Promise<string> {
  const hit = await within(cache.get(key), CACHE_TIMEOUT_MS, null).catch((err: unknown) => {
    logger.warn({ err, key }, 'cache read failed; reading the database');
    return null;
  });
  if (hit !== null) return hit;
  const body = await compute();
  void cache.set(key, body, ttlSeconds).catch((err: unknown) => {
    logger.warn({ err, key }, 'cache write failed');
  });
  return body;
}

/**
 * Answers with a body made on request the way snapshot bodies are answered: a strong `ETag` (a
 * hash of the bytes), 304 on a matching `If-None-Match`, the negotiated encoding, `Cache-Control`.
 */
export async function sendComputed(
  c: Context,
  text: string,
  { maxAgeSeconds, contentType }: { maxAgeSeconds: number; contentType?: string },
): Promise<Response> {
  return sendEncoded(c, await encodeBody(text), {
    acceptEncoding: c.req.header('accept-encoding'),
    ifNoneMatch: c.req.header('if-none-match'),
    headers: { 'Cache-Control': `public, max-age=${Math.max(0, Math.floor(maxAgeSeconds))}` },
    contentType,
  });
}
