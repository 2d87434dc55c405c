import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiService, startApi } from '../src/server.js';
import { fixtureRelayUrl } from './fixtures.js';
import { type ApiContext, makeContext } from './helpers.js';
import { type InProcessApi, inProcessApi } from './in-process-api.js';

/** What the browser-side checks use of the DOM (this package is compiled without the DOM library). */
interface XmlElement {
  localName: string;
  namespaceURI: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number };
}
interface XmlDocument {
  documentElement: XmlElement;
  getElementsByTagName(name: string): { length: number };
  querySelector(selector: string): { textContent: string | null } | null;
}
interface BrowserGlobals {
  DOMParser: new () => { parseFromString(text: string, type: string): XmlDocument };
  document: XmlDocument;
}
interface ImageElement {
  naturalWidth: number;
  naturalHeight: number;
  decode(): Promise<void>;
}

// Badges for relay operators' pages: the status now, and uptime and latency as the relay detail
// shows them for the range. Each is a standalone SVG that a real browser (Debian's Chromium,
// headless) parses as XML and renders, directly and as an <img> on another page; it is cacheable
// the way the other routes are, and bad input gets the API's JSON errors.

const CHROMIUM = '/usr/bin/chromium';

let api: InProcessApi;
let server: ApiService;
let serverCtx: ApiContext;
let browser: Browser;
/** An operator's page on another origin (`localhost`, not the API's `127.0.0.1`) showing a badge. */
let operator: Server;
let operatorSite: string;
const enc = encodeURIComponent;
const one = fixtureRelayUrl(1);
const four = fixtureRelayUrl(4);

const badgePath = (url: string, query = '') => `/api/v1/relays/${enc(url)}/badge.svg${query}`;

beforeAll(async () => {
  api = await inProcessApi('badge');
  await api.ctx.dbs.writer
    .updateTable('relays')
    .set({ status: 'online', held_at: new Date() })
    .where('url', '=', one)
    .execute();
  await api.ctx.dbs.writer
    .insertInto('relays')
    .values({ url: four, source: 'seed', watched: true })
    .execute();
  // A process of its own would have its own metrics registry: so does this server's context.
  const databaseUrl = api.ctx.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('no database');
  serverCtx = await makeContext({
    databaseUrl,
    redisUrl: api.ctx.env.REDIS_URL,
    keyPrefix: api.ctx.env.REDIS_KEY_PREFIX,
    env: { RATE_LIMIT_MAX: '100000' },
  });
  server = await startApi(serverCtx, { shutdownGraceMs: 100 });
  operator = createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://localhost').searchParams.get('src') ?? '';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>my relay</title><img id="b" alt="relay badge" src="${src.replace(/"/g, '&quot;')}">`,
    );
  });
  await new Promise<void>((resolve) => operator.listen(0, '127.0.0.1', resolve));
  operatorSite = `http://localhost:${(operator.address() as AddressInfo).port}`;
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => operator?.close(r));
  await server?.stop();
  await serverCtx?.close();
  await api?.close();
});

/** The value half of a badge: the text of its last <text> element. */
const badgeValue = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].at(-1)?.[1];

describe('relay badges', () => {
  it('say the status, and the uptime and latency of the relay detail for the range', async () => {
    const cases: [string, string, string][] = [
      [one, '', 'online'],
      [one, '?metric=status', 'online'],
      [one, '?metric=uptime', '91%'],
      [one, '?metric=uptime&range=7d', '91%'],
      [one, '?metric=latency&range=30d', '301 ms'],
      // Known to the database, no latency in the snapshot; never reported by a collector.
      [four, '?metric=latency', 'n/a'],
      [four, '?metric=status', 'unknown'],
    ];
    for (const [url, query, value] of cases) {
      const res = await api.app.request(badgePath(url, query));
      expect(res.status, query).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      const svg = await res.text();
      expect(badgeValue(svg), `${url}${query}`).toBe(value);
      const detail = (await (
        await api.app.request(`/api/v1/relays/${enc(url)}${query.replace(/metric=\w+&?/, '')}`)
      ).json()) as {
        stats: { uptime_pct: number } | null;
      };
      if (query.includes('uptime')) expect(`${detail.stats?.uptime_pct}%`).toBe(value);
    }
  });

  it('is cacheable like the other routes: strong ETag, 304, Cache-Control', async () => {
    const res = await api.app.request(badgePath(one, '?metric=uptime'), {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    const again = await api.app.request(badgePath(one, '?metric=uptime'), {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    const status = await api.app.request(badgePath(one));
    expect(status.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('answers bad input and unknown relays with JSON errors', async () => {
    for (const [path, status, code] of [
      [badgePath(one, '?metric=speed'), 400, 'invalid_parameter'],
      [badgePath(one, '?metric=uptime&range=1y'), 400, 'invalid_range'],
      [badgePath('not a url'), 400, 'invalid_parameter'],
      [badgePath('wss://nobody.example', '?metric=uptime'), 404, 'not_found'],
    ] as const) {
      const res = await api.app.request(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe(code);
    }
  });

  it('parse as XML and render in headless Chromium, on their own and as images', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(m.text());
    });
    page.on('pageerror', (err) => problems.push(String(err)));
    page.on('requestfailed', (req) => problems.push(`failed ${req.url()}`));
    const base = `http://127.0.0.1:${server.port}`;
    const queries = ['?metric=status', '?metric=uptime&range=24h', '?metric=latency&range=all'];
    for (const query of queries) {
      const url = `${base}${badgePath(one, query)}`;
      const text = await (await fetch(url)).text();
      // Chromium's XML parser: a document that is not well-formed yields a <parsererror>.
      await page.goto('about:blank');
      const parsed = await page.evaluate((svg) => {
        const { DOMParser } = globalThis as unknown as BrowserGlobals;
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        const root = doc.documentElement;
        return {
          errors: doc.getElementsByTagName('parsererror').length,
          root: root.localName,
          ns: root.namespaceURI,
          width: Number(root.getAttribute('width')),
          title: doc.querySelector('title')?.textContent ?? null,
        };
      }, text);
      expect(parsed).toMatchObject({ errors: 0, root: 'svg', ns: 'http://www.w3.org/2000/svg' });
      expect(parsed.width).toBeGreaterThan(40);
      expect(parsed.title).toMatch(/^(relay|uptime 24h|latency all): /);

      // Opened directly: Chromium renders it as an SVG document.
      const res = await page.goto(url);
      expect(res?.status()).toBe(200);
      const box = await page.evaluate(() => {
        const root = (globalThis as unknown as BrowserGlobals).document.documentElement;
        return { name: root.localName, width: root.getBoundingClientRect().width };
      });
      expect(box).toEqual({ name: 'svg', width: parsed.width });

      // Embedded on a page of another origin, as operators do.
      await page.goto(`${operatorSite}/?src=${encodeURIComponent(url)}`);
      const image = await page.$eval('#b', async (el) => {
        const img = el as unknown as ImageElement;
        await img.decode();
        return { width: img.naturalWidth, height: img.naturalHeight };
      });
      expect(image).toEqual({ width: parsed.width, height: 20 });
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
