import type { Context } from 'hono';
import { ApiError } from '../errors.js';
import { sendEncoded } from '../http/negotiate.js';
import type { BodyKey, SnapshotEntry } from '../snapshot/snapshot-entry.js';

/** The scheduler runs every five minutes; clients may keep a body until the next run is due. */
export const SCHEDULE_SECONDS = 300;

/** Seconds until the next expected run: `computed_at + 300 s - now`, never negative. */
export function maxAgeSeconds(computedAtMs: number, now = Date.now()): number {
  return Math.max(0, Math.ceil((computedAtMs + SCHEDULE_SECONDS * 1000 - now) / 1000));
}

/** Answers with a precomputed snapshot body (negotiated encoding, ETag, Cache-Control). */
export function sendSnapshot(c: Context, entry: SnapshotEntry, key: BodyKey): Response {
  const body = entry.bodies.get(key);
  if (!body)
    throw new ApiError(503, 'no_snapshot', `the ${key} section is not computed yet for ${entry.range}`);
  return sendEncoded(c, body, {
    acceptEncoding: c.req.header('accept-encoding'),
    ifNoneMatch: c.req.header('if-none-match'),
    headers: {
      'Cache-Control': `public, max-age=${maxAgeSeconds(entry.computedAtMs)}`,
      'Last-Modified': entry.lastModified,
    },
  });
}
