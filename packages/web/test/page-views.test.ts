import type { HTTPResponse } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, offOrigin, waitLoaded, watchPage } from './helpers/browser.js';
import { type Stack, startStack } from './helpers/stack.js';

/** The API's default budget per client: RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_SECONDS (15 min). */
const LIMIT = 100;
const VIEWS = 30;
const LIMITED = /^\/api\/v1\/(stats\/|relays\/|stream$)/;

/**
 * A person browsing for a while: 30 page views in one rate-limit window, with the process's
 * default limit. A page asks for one body per view (a relay page three: the relay, its history and
 * its outages) and opens the stream; hashed assets and the HTML are outside the limit. Not one answer is a 429 (nor any other error), and the budget the
 * server counted is exactly the API requests the browser sent.
 */
describe('30 page views within one rate-limit window', () => {
  let stack: Stack;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    stack = await startStack({ statsIntervalSeconds: 30 });
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
  });

  it('never meets a 429, and only API requests spend the budget', async () => {
    const page = await chromium.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const log = watchPage(page);
    const limited: { path: string; remaining: number }[] = [];
    const unlimited: { path: string; rateLimitFields: string[] }[] = [];
    page.on('response', (res: HTTPResponse) => {
      const url = new URL(res.url());
      if (url.origin !== stack.origin || res.fromCache()) return;
      const headers = res.headers();
      if (LIMITED.test(url.pathname))
        limited.push({ path: url.pathname, remaining: Number(headers['ratelimit-remaining']) });
      else
        unlimited.push({
          path: url.pathname,
          rateLimitFields: Object.keys(headers).filter((h) => h.startsWith('ratelimit')),
        });
    });

    // Find a relay's page from the relays table, then browse every kind of page and range.
    await page.goto(`${stack.origin}/relays`, { waitUntil: 'domcontentloaded' });
    await waitLoaded(page);
    await page.waitForSelector('[data-live-state="open"]', { timeout: 15_000 });
    const relay = await page.$eval('table.relays tbody tr a', (a) => a.getAttribute('href') ?? '');
    const tour = [
      '/',
      '/?range=7d',
      '/relays',
      relay,
      '/?range=30d',
      '/relays?range=7d',
      '/?range=all',
      `${relay}?range=90d`,
      '/?range=90d',
      '/',
    ];
    let views = 1;
    let relayViews = 0;
    while (views < VIEWS) {
      const path = tour[(views - 1) % tour.length] ?? '/';
      if (path.startsWith('/relays/')) relayViews += 1;
      await page.goto(`${stack.origin}${path}`, { waitUntil: 'domcontentloaded' });
      await waitLoaded(page);
      // The stream is open (its request was made and answered) before the reader moves on.
      await page.waitForSelector('[data-live-state="open"]', { timeout: 15_000 });
      views += 1;
    }
    await page.close();

    expect(views).toBe(VIEWS);
    expect(log.errors, 'answers with an error status (a 429 among them)').toEqual([]);
    expect(log.consoleErrors).toEqual([]);
    expect(offOrigin(log, stack.origin)).toEqual([]);
    // Few API requests per view: the view's bodies and the stream, plus a refetch per new snapshot.
    expect(relayViews).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThanOrEqual(VIEWS + 2 * relayViews);
    expect(limited.length).toBeLessThanOrEqual(2 * VIEWS + 2 * relayViews + 10);
    expect(limited.filter((r) => r.path === '/api/v1/stream').length).toBe(VIEWS);
    // The server counted exactly those: pages, assets and the icon spent nothing.
    expect(Math.min(...limited.map((r) => r.remaining))).toBe(LIMIT - limited.length);
    expect(unlimited.some((r) => r.path.startsWith('/assets/'))).toBe(true);
    expect(unlimited.filter((r) => r.rateLimitFields.length > 0)).toEqual([]);
  });
});
