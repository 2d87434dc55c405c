import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RelayHistory, RelayOutages } from '../src/lib/types.js';
import {
  at,
  launchChromium,
  offOrigin,
  type PageLog,
  pageFigures,
  screenshot,
  waitLoaded,
  watchPage,
} from './helpers/browser.js';
import { apiGet, type Stack, startStack } from './helpers/stack.js';

/**
 * The dashboard in headless Chromium against `nostr-info all-in-one` fed by the simulated relay
 * network: what it shows is what the API served, number by number; charts draw; the stream
 * updates it; the relays table sorts and filters; it fits a phone; and nothing it asks for
 * leaves the origin or is answered with an error.
 */
describe('web dashboard in Chromium', () => {
  let stack: Stack;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  const opened: { page: Page; log: PageLog }[] = [];
  /** The relay taken down at the start, and when. */
  const DOWN_RELAY = 0;
  let downAt = 0;

  beforeAll(async () => {
    // A snapshot every 20 s: a test sees one land, and the pages' refetches stay well within
    // the browser's rate-limit budget over the whole file.
    stack = await startStack({ statsIntervalSeconds: 20 });
    // One relay goes away for the whole file: by the relay-page tests it is in a confirmed outage.
    downAt = Date.now();
    await stack.net.takeDown(DOWN_RELAY);
    chromium = await launchChromium();
    browser = chromium.browser;
  });

  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
  });

  async function open(
    path: string,
    { width = 1280, height = 900 } = {},
  ): Promise<{ page: Page; log: PageLog }> {
    const page = await browser.newPage();
    await page.setViewport({ width, height });
    const log = watchPage(page);
    opened.push({ page, log });
    await page.goto(`${stack.origin}${path}`, { waitUntil: 'domcontentloaded' });
    await waitLoaded(page);
    return { page, log };
  }

  // Every page of every test: no console error, nothing off the origin, no error answer.
  afterEach(async () => {
    for (const { page, log } of opened.splice(0)) {
      await page.close();
      expect(log.consoleErrors, 'console errors').toEqual([]);
      expect(offOrigin(log, stack.origin), 'requests off the origin').toEqual([]);
      expect(log.errors, 'answers with an error status').toEqual([]);
      expect(log.failures, 'requests without an answer').toEqual([]);
    }
  });

  /** The body the page rendered last (its `computed_at` is on `#app`), and the figures shown for it. */
  async function renderedAgainst(page: Page, log: PageLog, key: string) {
    const loaded = await waitLoaded(page);
    const figures = await pageFigures(page);
    expect(await waitLoaded(page), 'the view did not change while being read').toBe(loaded);
    const body = await vi.waitFor(() => {
      const match = (log.bodies.get(key) ?? []).find(
        (b) => at(b, 'computed_at') === loaded || loaded === 'none',
      );
      if (!match) throw new Error(`no ${key} body for ${loaded}`);
      return match;
    });
    return { body, figures };
  }

  function expectSameFigures(body: unknown, figures: Awaited<ReturnType<typeof pageFigures>>) {
    for (const f of figures.filter((x) => x.path && !x.path.startsWith('live.'))) {
      const served = at(body, f.path);
      expect(served === undefined ? 'missing' : served, f.path).toBe(f.value);
      // The tooltip says the value exactly (to the two decimals figures are written with).
      if (f.value !== null)
        expect(Number(f.title.replaceAll(',', '').match(/^-?[\d.]+/)?.[0]), f.path).toBeCloseTo(f.value, 2);
    }
  }

  it('overview: every figure is the number the API served, rounded ones carry the exact value', async () => {
    const { page, log } = await open('/');
    const { body, figures } = await renderedAgainst(page, log, '/api/v1/stats/full/24h');
    const compared = figures.filter((f) => f.path && !f.path.startsWith('live.'));
    // Cards, every overview field, clients, top relays and kinds.
    expect(compared.length).toBeGreaterThan(40);
    expectSameFigures(body, figures);
    expect(at(body, 'overview.events.unique')).toBeGreaterThan(0);
    // A fresh install: the 24h range starts before collection began, so new users are not known,
    // and the card says why.
    expect(at(body, 'coverage.new_users_status')).toBe('warming_up');
    const fresh = figures.find((f) => f.path === 'overview.users.new');
    expect(fresh?.value).toBeNull();
    expect(fresh?.title).toMatch(/^warming up: this range starts before collection began/);
    // The computed-at time shown is the body's.
    expect(await page.$eval('[data-computed-at]', (el) => (el as HTMLElement).dataset.computedAt)).toBe(
      at(body, 'computed_at'),
    );
    // Rounded figures: the visible text differs from the exact value, which is in the title.
    const sats = figures.find((f) => f.path === 'overview.zaps.sats');
    expect(sats?.value).toBe(at(body, 'overview.zaps.sats'));
    if ((sats?.value ?? 0) >= 1000) expect(sats?.text).toMatch(/^[\d.]+[kMBT]$/);
    await screenshot(page, 'overview-desktop-1280');
  });

  it('overview: the three charts draw on their canvases', async () => {
    const { page, log } = await open('/?range=7d');
    const { body } = await renderedAgainst(page, log, '/api/v1/stats/full/7d');
    await page.waitForSelector('figure.chart canvas');
    const charts = await page.$$eval('figure.chart', (figs) =>
      figs.map((fig) => {
        const canvas = fig.querySelector('canvas');
        if (!canvas) return { id: (fig as HTMLElement).dataset.chart, painted: 0, series: 0 };
        const ctx = canvas.getContext('2d');
        const data = ctx?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
        return {
          id: (fig as HTMLElement).dataset.chart,
          painted,
          series: fig.querySelectorAll('.u-series').length - 1,
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(['events-by-kind', 'users', 'zaps']);
    for (const c of charts) {
      expect(c.painted, `${c.id} pixels`).toBeGreaterThan(500);
      expect(c.series, `${c.id} series`).toBeGreaterThan(0);
    }
    // The data table behind a chart opens from the keyboard and lists the values.
    await page.focus('figure.chart[data-chart="users"] summary');
    await page.keyboard.press('Enter');
    await page.waitForSelector('figure.chart[data-chart="users"] details[open] tbody tr');
    const rows = await page.$$eval('figure.chart[data-chart="users"] details tbody tr', (r) => r.length);
    expect(rows).toBe((at(body, 'activity.series') as unknown[]).length);
  });

  it('live: stream figures replace each other and a new snapshot re-renders without a reload', async () => {
    // The stream's messages as Chromium received them, recorded from before the page opens.
    const page = await browser.newPage();
    opened.push({ page, log: watchPage(page) });
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    const live: { relays_online: number; at: string }[] = [];
    const notices: string[] = [];
    cdp.on('Network.eventSourceMessageReceived', (e) => {
      if (e.eventName === 'live') live.push(JSON.parse(e.data) as { relays_online: number; at: string });
      if (e.eventName === 'snapshot') notices.push(e.data);
    });
    await page.goto(`${stack.origin}/`, { waitUntil: 'domcontentloaded' });
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    const first = await waitLoaded(page);
    // Two `live` messages arrive and the page shows the newest one's figures.
    await vi.waitFor(() => expect(live.length).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 250 });
    await vi.waitFor(
      async () => {
        const shown = await page.$eval('.status', (el) => (el as HTMLElement).dataset.liveAt);
        const newest = live.at(-1);
        expect(shown).toBe(newest?.at);
        const online = await page.$eval('[data-live="relays_online"] data', (el) =>
          Number(el.getAttribute('value')),
        );
        expect(online).toBe(newest?.relays_online);
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(await page.$eval('[data-live-state]', (el) => el.textContent)).toBe('live');
    // A scheduler run lands: the notice arrives and the view shows the newer snapshot, same document.
    await vi.waitFor(() => expect(notices.length).toBeGreaterThan(0), { timeout: 45_000, interval: 250 });
    await vi.waitFor(
      async () => expect(Date.parse(await waitLoaded(page))).toBeGreaterThan(Date.parse(first)),
      {
        timeout: 15_000,
        interval: 250,
      },
    );
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await cdp.detach();
  });

  it('relays: one row per relay, figures as served, sorting and filtering', async () => {
    const { page, log } = await open('/relays');
    const { body, figures } = await renderedAgainst(page, log, '/api/v1/stats/relays?range=24h');
    const relays = at(body, 'relays') as {
      url: string;
      status: string;
      supported_nips: number[];
      name: string | null;
    }[];
    expectSameFigures(body, figures);
    const rowUrls = () =>
      page.$$eval('table.relays tbody tr', (rows) => rows.map((r) => r.getAttribute('data-url') ?? ''));
    const all = await rowUrls();
    expect(all.length).toBe(relays.length);
    expect(new Set(all).size).toBe(all.length);
    expect(await page.$$eval('table.relays tbody svg.kind-mix[aria-label]', (s) => s.length)).toBe(
      relays.length,
    );

    // Sorting: a header button sorts by name, a second press turns the order round.
    await page.click('button[data-sort="relay"]');
    const label = (r: { url: string; name: string | null }) => (r.name?.trim() || r.url).toLowerCase();
    const byName = [...relays]
      .sort((a, b) => (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : a.url < b.url ? -1 : 1))
      .map((r) => r.url);
    expect(await rowUrls()).toEqual(byName);
    expect(await page.$eval('th[aria-sort]', (th) => th.getAttribute('aria-sort'))).toBe('ascending');
    await page.keyboard.press('Enter'); // the button kept the focus
    expect(await page.$eval('th[aria-sort]', (th) => th.getAttribute('aria-sort'))).toBe('descending');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('relay');

    // Filtering: by status, then a NIP, then text; "Show all relays" brings every row back.
    const status = relays[0]?.status ?? 'online';
    await page.select('#f-status', status);
    expect((await rowUrls()).sort()).toEqual(
      relays
        .filter((r) => r.status === status)
        .map((r) => r.url)
        .sort(),
    );
    const nip = relays.flatMap((r) => r.supported_nips).sort((a, b) => a - b)[0];
    if (nip !== undefined) {
      await page.select('#f-status', '');
      await page.select('#f-nip', String(nip));
      expect((await rowUrls()).sort()).toEqual(
        relays
          .filter((r) => r.supported_nips.includes(nip))
          .map((r) => r.url)
          .sort(),
      );
      await page.select('#f-nip', '');
    }
    const target = relays[1]?.url ?? '';
    await page.type('#f-text', target.slice(-6));
    expect(await rowUrls()).toContain(target);
    expect(await page.$eval('.count', (el) => el.textContent)).toMatch(/^Showing \d+ of \d+ relays$/);
    await page.click('#f-reset');
    expect((await rowUrls()).length).toBe(relays.length);

    // The choices live in the address: a reload with them shows the same filtered table.
    await page.select('#f-status', status);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await waitLoaded(page);
    expect(await page.$eval('#f-status', (el) => (el as HTMLSelectElement).value)).toBe(status);
    expect((await rowUrls()).length).toBe(relays.filter((r) => r.status === status).length);
    await screenshot(page, 'relays-desktop-1280');
  });

  it('relay page: the detail the API served for the relay clicked in the table', async () => {
    const { page, log } = await open('/relays');
    const href = await page.$eval('table.relays tbody tr a', (a) => a.getAttribute('href') ?? '');
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'domcontentloaded' }),
      page.click('table.relays tbody tr a'),
    ]);
    const url = decodeURIComponent(href.slice('/relays/'.length));
    const { body, figures } = await renderedAgainst(
      page,
      log,
      `/api/v1/relays/${encodeURIComponent(url)}?range=24h`,
    );
    expect(at(body, 'url')).toBe(url);
    expect(figures.filter((f) => f.path.startsWith('stats.')).length).toBeGreaterThan(5);
    expectSameFigures(body, figures);
    expect(await page.$eval('#page-lead', (el) => el.textContent)).toBe(url);
    await screenshot(page, 'relay-desktop-1280');
  });

  it('relay page: uptime and latency draw, and the outage the API lists is the one the relay had', async () => {
    const given = encodeURIComponent(stack.net.urls[DOWN_RELAY] ?? '');
    // Confirmed 30 s after the relay stopped serving, then written with the next flush.
    const served = await vi.waitFor(
      async () => {
        const res = await apiGet(stack.origin, `/api/v1/relays/${given}/outages?range=24h`);
        const body = JSON.parse(res.body) as RelayOutages;
        if (res.status !== 200 || body.outages.length === 0) throw new Error(`no outage yet: ${res.body}`);
        return body;
      },
      { timeout: 120_000, interval: 5000 },
    );
    const [outage] = served.outages;
    expect(served.outages).toHaveLength(1);
    expect(outage?.ongoing).toBe(true);
    expect(Date.parse(outage?.started_at ?? '')).toBeGreaterThanOrEqual(downAt - 1000);
    expect(Date.parse(outage?.started_at ?? '')).toBeLessThanOrEqual(downAt + 10_000);

    const url = encodeURIComponent(served.url);
    const { page, log } = await open(`/relays/${url}`);
    const shown = await page.$eval('[data-outages]', (el) => ({
      count: Number((el as HTMLElement).dataset.outages),
      rows: [...el.querySelectorAll('tbody tr')].map((tr) => ({
        started: (tr as HTMLElement).dataset.started,
        cells: [...tr.children].map((c) => c.textContent?.trim()),
      })),
    }));
    const body = await vi.waitFor(() => {
      const b = log.bodies.get(`/api/v1/relays/${url}/outages?range=24h`)?.at(-1) as RelayOutages | undefined;
      if (!b) throw new Error('the page did not ask for the outages');
      return b;
    });
    expect(shown.count).toBe(body.outages.length);
    expect(shown.rows.map((r) => r.started)).toEqual(body.outages.map((o) => o.started_at));
    expect(shown.rows[0]?.cells[1]).toBe('ongoing');
    expect(shown.rows[0]?.cells[3]).toBe(body.outages[0]?.cause);

    await page.waitForSelector('figure.chart[data-chart="relay-latency"] canvas');
    const charts = await page.$$eval('figure.chart', (figs) =>
      figs.map((fig) => ({
        id: (fig as HTMLElement).dataset.chart,
        series: fig.querySelectorAll('.u-series').length - 1,
        canvas: fig.querySelector('canvas') !== null,
      })),
    );
    expect(charts).toEqual([
      { id: 'relay-uptime', series: 1, canvas: true },
      { id: 'relay-latency', series: 2, canvas: true },
    ]);
    // The data table behind the uptime chart lists one row per bucket the API served.
    await page.focus('figure.chart[data-chart="relay-uptime"] summary');
    await page.keyboard.press('Enter');
    await page.waitForSelector('figure.chart[data-chart="relay-uptime"] details[open] tbody tr');
    const history = log.bodies.get(`/api/v1/relays/${url}/history?range=24h`)?.at(-1) as
      | RelayHistory
      | undefined;
    const rows = await page.$$eval(
      'figure.chart[data-chart="relay-uptime"] details tbody tr',
      (r) => r.length,
    );
    expect(rows).toBe(history?.series.length);
    await screenshot(page, 'relay-outage-desktop-1280');
  });

  it('phone (390 px), dark scheme and reduced motion: no sideways scrolling on any page', async () => {
    const relay = await (async () => {
      const { page } = await open('/relays');
      return page.$eval('table.relays tbody tr a', (a) => a.getAttribute('href') ?? '');
    })();
    for (const [name, path] of [
      ['overview', '/'],
      ['relays', '/relays'],
      ['relay', relay],
    ] as const) {
      const page = await browser.newPage();
      const log = watchPage(page);
      opened.push({ page, log });
      await page.emulateMediaFeatures([
        { name: 'prefers-color-scheme', value: name === 'relays' ? 'dark' : 'light' },
        { name: 'prefers-reduced-motion', value: 'reduce' },
      ]);
      await page.setViewport({
        width: 390,
        height: 844,
        deviceScaleFactor: 1,
        isMobile: true,
        hasTouch: true,
      });
      await page.goto(`${stack.origin}${path}`, { waitUntil: 'domcontentloaded' });
      await waitLoaded(page);
      await new Promise((r) => setTimeout(r, 300));
      const widths = await page.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
      }));
      expect(widths.doc, `${name} scroll width`).toBeLessThanOrEqual(390);
      expect(widths.body, `${name} body width`).toBeLessThanOrEqual(390);
      const motion = await page.$eval('.status .dot', (el) => getComputedStyle(el).animationName);
      expect(motion).toBe('none');
      await screenshot(page, `${name}-phone-390${name === 'relays' ? '-dark' : ''}`);
    }
  });

  it('keyboard: the first Tab reaches "Skip to content", which moves to the main content', async () => {
    const { page } = await open('/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Every rounded figure says its exact value to a screen reader.
    const spoken = await page.$$eval('data.fig.rounded', (els) =>
      els.map((e) => e.querySelector('.sr-only')?.textContent ?? ''),
    );
    for (const text of spoken) expect(text).toMatch(/^[\d,]+/);
  });
});
