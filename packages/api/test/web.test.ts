import { type MigratedTestDatabase, migratedTestDatabase } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiService, startApi } from '../src/server.js';
import { DASHBOARD_CSP } from '../src/web/web-policy.js';
import { IMMUTABLE_CACHE, PAGE_CACHE } from '../src/web/web-routes.js';
import { buildSnapshot } from './fixtures.js';
import { type ApiContext, makeContext, seedSnapshot, uniquePrefix } from './helpers.js';

/** Small, so the test reaches the limit and proves the dashboard's files never spend it. */
const RATE_LIMIT = 3;
/** The API's security fields that every response carries, page and asset alike. */
const SECURITY_FIELDS = [
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'x-permitted-cross-domain-policies',
];

/**
 * The web dashboard as the API serves it from `@nostr-info/web`'s build, on a real server: pages,
 * hashed assets, validators, encodings, security headers, and the rate limit it stays out of.
 */
describe('web dashboard routes', () => {
  let db: MigratedTestDatabase;
  let ctx: ApiContext;
  let api: ApiService;
  let base: string;

  beforeAll(async () => {
    db = await migratedTestDatabase('api_web');
    ctx = await makeContext({
      databaseUrl: db.url,
      keyPrefix: uniquePrefix('web'),
      env: { RATE_LIMIT_MAX: String(RATE_LIMIT) },
    });
    await seedSnapshot(ctx, buildSnapshot('24h', { relays: 3 }), { cache: true });
    api = await startApi(ctx);
    base = `http://127.0.0.1:${api.port}`;
  });

  afterAll(async () => {
    await api?.stop();
    await ctx?.close();
    await db?.drop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

  /** The hashed files the HTML document names. */
  async function assetPaths(): Promise<string[]> {
    const html = await (await get('/')).text();
    return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
  }

  it('serves one HTML document at /, /relays and /relays/<url> with the page CSP and a short cache', async () => {
    // A JSON route outside the rate limit, so this file spends none of the budget before the last test.
    const json = await get('/health');
    const bodies = new Set<string>();
    for (const path of [
      '/',
      '/relays',
      `/relays/${encodeURIComponent('wss://relay1.example.com')}`,
      '/?range=7d',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
      expect(res.headers.get('cache-control')).toBe(PAGE_CACHE);
      expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/);
      for (const name of SECURITY_FIELDS) expect(res.headers.get(name), name).toBe(json.headers.get(name));
      expect(res.headers.get('ratelimit-remaining')).toBeNull();
      bodies.add(await res.text());
    }
    expect(bodies.size).toBe(1);
    const [html = ''] = [...bodies];
    expect(html).toMatch(/^<!doctype html>/);
    // No inline script or style, nothing from another origin.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect(DASHBOARD_CSP).not.toContain('unsafe');
    // The JSON routes keep the API's CSP.
    expect(json.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(json.headers.get('content-security-policy')).not.toContain('script-src');
    await json.body?.cancel();
  });

  it('answers a matching validator with 304, for pages and assets', async () => {
    for (const path of ['/', ...(await assetPaths())]) {
      const first = await get(path, { 'Accept-Encoding': 'br' });
      await first.arrayBuffer();
      const etag = first.headers.get('etag') ?? '';
      const again = await get(path, { 'If-None-Match': etag, 'Accept-Encoding': 'gzip' });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe('');
    }
  });

  it('serves hashed assets for a year, immutable, precompressed, with the API security headers', async () => {
    const paths = await assetPaths();
    expect(paths.some((p) => /^\/assets\/app\.\w+\.js$/.test(p))).toBe(true);
    expect(paths.some((p) => /^\/assets\/app\.\w+\.css$/.test(p))).toBe(true);
    expect(paths.some((p) => /^\/assets\/icon\.\w+\.svg$/.test(p))).toBe(true);
    for (const path of paths) {
      const plain = await get(path, { 'Accept-Encoding': 'identity' });
      const identity = Buffer.from(await plain.arrayBuffer());
      expect(plain.status, path).toBe(200);
      expect(plain.headers.get('cache-control')).toBe(IMMUTABLE_CACHE);
      expect(plain.headers.get('etag')).toMatch(/^"[\w-]+"$/);
      expect(plain.headers.get('content-type')).toMatch(/^(text\/javascript|text\/css|image\/svg\+xml)/);
      expect(plain.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
      if (identity.length < 512) continue;
      for (const coding of ['br', 'gzip']) {
        const res = await fetch(`${base}${path}`, { headers: { 'Accept-Encoding': coding } });
        expect(res.headers.get('content-encoding')).toBe(coding);
        expect(res.headers.get('etag')).toBe(`${plain.headers.get('etag')?.slice(0, -1)}-${coding}"`);
        expect(res.headers.get('vary')).toBe('Accept-Encoding');
        const length = Number(res.headers.get('content-length'));
        const received = Buffer.from(await res.arrayBuffer());
        // fetch decodes what it receives; Content-Length is what went over the wire.
        expect(received.equals(identity)).toBe(true);
        expect(length).toBeLessThan(identity.length);
      }
    }
  });

  it('answers an unknown or escaping asset name with a JSON 404, and /favicon.ico with the icon', async () => {
    for (const path of ['/assets/app.NOPE1234.js', '/assets/..%2Fmanifest.json', '/assets/..%2Findex.html']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
    const icon = await get('/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await icon.text()).toContain('<svg');
  });

  it('spends none of the rate limit on pages and assets; the API routes still do', async () => {
    const paths = ['/', '/relays', '/favicon.ico', ...(await assetPaths())];
    for (let round = 0; round < 3; round++) {
      for (const path of paths) {
        const res = await get(path);
        await res.arrayBuffer();
        expect(res.status, path).toBe(200);
        expect(res.headers.get('ratelimit-limit')).toBeNull();
      }
    }
    // This file's earlier requests went to pages and assets only: the whole budget is left.
    const remaining: string[] = [];
    for (let i = 0; i < RATE_LIMIT; i++) {
      const res = await get('/api/v1/stats/overview?range=24h');
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const over = await get('/api/v1/stats/overview?range=24h');
    await over.arrayBuffer();
    expect(over.status).toBe(429);
    expect((await get('/')).status).toBe(200);
  });

  it('links the API reference to the dashboard', async () => {
    const docs = await (await get('/api/v1/docs')).text();
    expect(docs).toContain('<a href="/">web dashboard</a>');
  });
});
