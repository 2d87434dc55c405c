import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@nostr-info/shared/log';
import { STATS_RANGES, type StatsRange } from '@nostr-info/shared/stats';
import { errorBody } from '../errors.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import type { ApiParts } from '../parts.js';
import { maxAgeSeconds } from '../routes/send-snapshot.js';
import { QUERY_SECTIONS } from '../routes/stats-routes.js';
import { type EncodedBody, isUncompressed } from '../snapshot/encode.js';
import type { BodyKey, SnapshotEntry } from '../snapshot/snapshot-entry.js';
import { pickClientIp } from './client-ip.js';
import { captureStaticHeaders } from './header-policy.js';
import { type Coding, etagFor, matchesIfNoneMatch, pickCoding } from './negotiate.js';
import type { LimitOutcome } from './rate-limit.js';
import { createRouteRecorder, type RouteRecorder } from './request-metrics.js';

/** One request target the lane answers: which body of which range, recorded under which route. */
interface Target {
  range: StatsRange;
  key: BodyKey;
  record: RouteRecorder;
}

/**
 * The header fields of one representation, flattened for `writeHead`: the secure and CORS
 * fields, those that change only with the snapshot, then the per-request ones (`PER_REQUEST`)
 * with empty values that each request fills in its own copy (no array growth per request).
 */
interface Representation {
  bytes: Buffer;
  ok: string[];
  notModified: string[];
}

/** Per-request fields at the end of a representation's fields; the rate-limit ones come last. */
const PER_REQUEST = [
  'X-Request-Id',
  'Cache-Control',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
].flatMap((name) => [name, '']);
/** Without `RateLimit-*` (the store did not answer) a copy ends before them. */
const RATE_LIMIT_SLOTS = 8;

/** Answers a request itself (true) or leaves it to the Hono app (false). */
export type FastLane = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Every exact request target of the cached stats routes, e.g. `/api/v1/stats/overview?range=7d`. */
function targets(metrics: ApiMetrics): Map<string, Target> {
  const table = new Map<string, Target>();
  for (const { segment, section } of QUERY_SECTIONS) {
    const route = `/api/v1/stats/${segment}`;
    const record = createRouteRecorder(metrics, route, 'GET');
    table.set(route, { range: '24h', key: section, record });
    for (const range of STATS_RANGES) table.set(`${route}?range=${range}`, { range, key: section, record });
  }
  const events = createRouteRecorder(metrics, '/api/v1/stats/events/:range', 'GET');
  const full = createRouteRecorder(metrics, '/api/v1/stats/full/:range', 'GET');
  for (const range of STATS_RANGES) {
    table.set(`/api/v1/stats/events/${range}`, { range, key: 'events', record: events });
    table.set(`/api/v1/stats/full/${range}`, { range, key: 'full', record: full });
  }
  return table;
}

/** Hono's request-id rule: a client's id is kept when short and plain, else a new UUID. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && given.length > 0 && given.length <= 255 && !/[^\w\-=]/.test(given)
    ? given
    : randomUUID();
}

/**
 * The hot path of the cached stats routes, in front of the Hono app: a GET of an exact known
 * target (a Map lookup, so nothing needs validating) whose snapshot is held fresh in process is
 * answered with one `writeHead` from precomputed fields. It does what the middleware stack does
 * for such a request — request metrics, request id, Hono's own secure and CORS headers
 * (captured from those middlewares once), the shared rate limit, ETag/304, encoding and
 * Cache-Control — without building Fetch `Headers` and `Response` objects per request.
 * Anything else (other methods and targets, a snapshot not held, shutdown) goes to Hono.
 */
export async function createFastLane(parts: ApiParts, logger: Logger): Promise<FastLane> {
  const log = logger.child({ module: 'fast-lane' });
  const table = targets(parts.metrics);
  const fixed = (await captureStaticHeaders()).flat();
  const { rateLimiter, store } = parts;
  const hops = rateLimiter.trustProxyHops;
  const representations = new WeakMap<EncodedBody, Map<Coding, Representation>>();

  const representation = (body: EncodedBody, coding: Coding, lastModified: string): Representation => {
    let byCoding = representations.get(body);
    if (!byCoding) {
      byCoding = new Map();
      representations.set(body, byCoding);
    }
    let rep = byCoding.get(coding);
    if (!rep) {
      const bytes = coding === 'br' ? body.br : coding === 'gzip' ? body.gzip : body.identity;
      const validators = [
        'Last-Modified',
        lastModified,
        'ETag',
        etagFor(body, coding),
        'Vary',
        'Accept-Encoding',
      ];
      const ok = [
        ...fixed,
        ...validators,
        'Content-Type',
        'application/json; charset=utf-8',
        'Content-Length',
        String(bytes.length),
      ];
      if (coding !== 'identity') ok.push('Content-Encoding', coding);
      ok.push(...PER_REQUEST);
      rep = { bytes, ok, notModified: [...fixed, ...validators, ...PER_REQUEST] };
      byCoding.set(coding, rep);
    }
    return rep;
  };

  // `Cache-Control` changes once a second at most: the last value is kept.
  let maxAge = -1;
  let cacheControl = '';
  const cacheControlOf = (computedAtMs: number): string => {
    const seconds = maxAgeSeconds(computedAtMs);
    if (seconds !== maxAge) {
      maxAge = seconds;
      cacheControl = `public, max-age=${seconds}`;
    }
    return cacheControl;
  };

  const respond = (
    req: IncomingMessage,
    res: ServerResponse,
    target: Target,
    entry: SnapshotEntry,
    body: EncodedBody,
    id: string,
    started: number,
    outcome: LimitOutcome,
  ): void => {
    if (outcome.kind === 'limited') {
      const { error } = outcome;
      const head = [...fixed, 'X-Request-Id', id];
      for (const [name, value] of Object.entries(error.headers)) head.push(name, value);
      const text = JSON.stringify(errorBody(error.code, error.message));
      head.push('Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(text)));
      res.writeHead(error.status, head).end(text);
      target.record(error.status, (performance.now() - started) / 1000);
      return;
    }
    const coding = isUncompressed(body) ? 'identity' : pickCoding(req.headers['accept-encoding']);
    const rep = representation(body, coding, entry.lastModified);
    const notModified = matchesIfNoneMatch(req.headers['if-none-match'], body);
    const fields = notModified ? rep.notModified : rep.ok;
    const end = fields.length;
    const head = outcome.kind === 'ok' ? fields.slice() : fields.slice(0, end - RATE_LIMIT_SLOTS);
    const at = end - PER_REQUEST.length + 1;
    head[at] = id;
    head[at + 2] = cacheControlOf(entry.computedAtMs);
    if (outcome.kind === 'ok') {
      const limit = outcome.headers;
      head[at + 4] = limit['RateLimit-Limit'];
      head[at + 6] = limit['RateLimit-Remaining'];
      head[at + 8] = limit['RateLimit-Reset'];
      head[at + 10] = limit['RateLimit-Policy'];
    }
    if (notModified) res.writeHead(304, head).end();
    else res.writeHead(200, head).end(rep.bytes);
    target.record(notModified ? 304 : 200, (performance.now() - started) / 1000);
  };

  // Nothing a client sends can make `respond` throw; should it anyway, the socket is dropped
  // rather than the process.
  const failed = (res: ServerResponse, target: Target, err: unknown): void => {
    log.error({ err, key: target.key, range: target.range }, 'fast lane failed');
    res.destroy();
  };

  return (req, res) => {
    if (req.method !== 'GET') return false;
    const target = table.get(req.url ?? '');
    if (!target) return false;
    const entry = store.peek(target.range);
    const body = entry?.bodies.get(target.key);
    if (!entry || !body) return false;
    const started = performance.now();
    const id = requestIdOf(req);
    const xff = hops > 0 ? req.headers['x-forwarded-for'] : undefined;
    const ip = pickClientIp(
      req.socket.remoteAddress ?? 'unknown',
      typeof xff === 'string' ? xff : undefined,
      hops,
    );
    const outcome = rateLimiter.check(ip);
    if (outcome instanceof Promise) {
      outcome
        .then((settled) => respond(req, res, target, entry, body, id, started, settled))
        .catch((err: unknown) => failed(res, target, err));
    } else {
      try {
        respond(req, res, target, entry, body, id, started, outcome);
      } catch (err) {
        failed(res, target, err);
      }
    }
    return true;
  };
}
