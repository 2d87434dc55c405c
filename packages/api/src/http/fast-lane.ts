import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger, STATS_RANGES, type StatsRange } from '@nostr-info/shared';
import { errorBody } from '../errors.js';
import type { ApiParts } from '../parts.js';
import { maxAgeSeconds } from '../routes/send-snapshot.js';
import { QUERY_SECTIONS } from '../routes/stats-routes.js';
import { type EncodedBody, isUncompressed } from '../snapshot/encode.js';
import type { BodyKey } from '../snapshot/snapshot-entry.js';
import { pickClientIp } from './client-ip.js';
import { captureStaticHeaders } from './header-policy.js';
import { etagFor, matchesIfNoneMatch, pickCoding } from './negotiate.js';
import type { LimitOutcome } from './rate-limit.js';
import { createRequestRecorder } from './request-metrics.js';

/** One request target the lane answers: which body of which range, under which route label. */
interface Target {
  range: StatsRange;
  key: BodyKey;
  route: string;
}

/** The fields of one representation that change only with the snapshot, flattened for writeHead. */
interface Representation {
  bytes: Buffer;
  ok: string[];
  notModified: string[];
}

/** Answers a request itself (true) or leaves it to the Hono app (false). */
export type FastLane = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Every exact request target of the cached stats routes, e.g. `/api/v1/stats/overview?range=7d`. */
function targets(): Map<string, Target> {
  const table = new Map<string, Target>();
  for (const { segment, section } of QUERY_SECTIONS) {
    const route = `/api/v1/stats/${segment}`;
    table.set(route, { range: '24h', key: section, route });
    for (const range of STATS_RANGES) table.set(`${route}?range=${range}`, { range, key: section, route });
  }
  for (const range of STATS_RANGES) {
    table.set(`/api/v1/stats/events/${range}`, {
      range,
      key: 'events',
      route: '/api/v1/stats/events/:range',
    });
    table.set(`/api/v1/stats/full/${range}`, { range, key: 'full', route: '/api/v1/stats/full/:range' });
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
  const table = targets();
  const fixed = (await captureStaticHeaders()).flat();
  const record = createRequestRecorder(parts.metrics);
  const { rateLimiter, store } = parts;
  const hops = rateLimiter.trustProxyHops;
  const representations = new WeakMap<EncodedBody, Map<string, Representation>>();

  const representation = (body: EncodedBody, coding: 'br' | 'gzip' | 'identity', lastModified: string) => {
    let byCoding = representations.get(body);
    if (!byCoding) {
      byCoding = new Map();
      representations.set(body, byCoding);
    }
    let rep = byCoding.get(coding);
    if (!rep) {
      const bytes = coding === 'br' ? body.br : coding === 'gzip' ? body.gzip : body.identity;
      const notModified = [
        'Last-Modified',
        lastModified,
        'ETag',
        etagFor(body, coding),
        'Vary',
        'Accept-Encoding',
      ];
      const ok = [
        ...notModified,
        'Content-Type',
        'application/json; charset=utf-8',
        'Content-Length',
        String(bytes.length),
      ];
      if (coding !== 'identity') ok.push('Content-Encoding', coding);
      rep = { bytes, ok, notModified };
      byCoding.set(coding, rep);
    }
    return rep;
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
    const respond = (outcome: LimitOutcome): void => {
      const head = [...fixed, 'X-Request-Id', id];
      if (outcome.kind === 'limited') {
        const { error } = outcome;
        for (const [name, value] of Object.entries(error.headers)) head.push(name, value);
        const text = JSON.stringify(errorBody(error.code, error.message));
        head.push('Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(text)));
        res.writeHead(error.status, head).end(text);
        record(target.route, 'GET', error.status, (performance.now() - started) / 1000);
        return;
      }
      if (outcome.kind === 'ok')
        for (const [name, value] of Object.entries(outcome.headers)) head.push(name, value);
      head.push('Cache-Control', `public, max-age=${maxAgeSeconds(entry.computedAtMs)}`);
      const coding = isUncompressed(body) ? 'identity' : pickCoding(req.headers['accept-encoding']);
      const rep = representation(body, coding, entry.lastModified);
      const status = matchesIfNoneMatch(req.headers['if-none-match'], body) ? 304 : 200;
      if (status === 304) res.writeHead(304, head.concat(rep.notModified)).end();
      else res.writeHead(200, head.concat(rep.ok)).end(rep.bytes);
      record(target.route, 'GET', status, (performance.now() - started) / 1000);
    };
    // Nothing a client sends can make `respond` throw; should it anyway, the socket is dropped
    // rather than the process.
    const failed = (err: unknown) => {
      log.error({ err, path: target.route }, 'fast lane failed');
      res.destroy();
    };
    const outcome = rateLimiter.check(ip);
    if (outcome instanceof Promise) outcome.then(respond).catch(failed);
    else {
      try {
        respond(outcome);
      } catch (err) {
        failed(err);
      }
    }
    return true;
  };
}
