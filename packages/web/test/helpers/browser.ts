import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type HTTPResponse, type Page } from 'puppeteer-core';

/** Debian's Chromium, installed by scripts/services/ensure-tools.sh; never a downloaded build. */
export const CHROMIUM = process.env.TEST_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go (gitignored); CI keeps the folder for people to look at. */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** A headless Chromium with a fresh profile, no network of its own (no updates, sync, QUIC). */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'nostr-info-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Everything a page did that a test checks afterwards. */
export interface PageLog {
  consoleErrors: string[];
  requests: string[];
  /** Answers with status >= 400. */
  errors: string[];
  /** Requests that got no answer, other than those the page itself dropped on leaving. */
  failures: string[];
  /** API bodies the page received, newest last, by path and query. */
  bodies: Map<string, unknown[]>;
}

/** Records console errors, requests, answers and the API bodies of `page`. */
export function watchPage(page: Page): PageLog {
  const log: PageLog = { consoleErrors: [], requests: [], errors: [], failures: [], bodies: new Map() };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') log.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (err) =>
    log.consoleErrors.push(`pageerror: ${err instanceof Error ? err.message : String(err)}`),
  );
  page.on('request', (req) => {
    log.requests.push(req.url());
  });
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText ?? 'failed';
    // Leaving a page aborts its open stream; that is the page going away, not an answer.
    if (reason !== 'net::ERR_ABORTED') log.failures.push(`${reason} ${req.url()}`);
  });
  page.on('response', (res: HTTPResponse) => {
    if (res.status() >= 400) log.errors.push(`${res.status()} ${res.url()}`);
    const url = new URL(res.url());
    const type = res.headers()['content-type'] ?? '';
    if (res.status() === 200 && url.pathname.startsWith('/api/v1/') && type.startsWith('application/json')) {
      res
        .json()
        .then((body: unknown) => {
          const key = `${url.pathname}${url.search}`;
          log.bodies.set(key, [...(log.bodies.get(key) ?? []), body]);
        })
        .catch(() => undefined);
    }
  });
  return log;
}

/** Requests to anything but `origin` (data: URLs are part of the page itself). */
export function offOrigin(log: PageLog, origin: string): string[] {
  return log.requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
}

/** Writes a full-page screenshot as `<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Waits until the view has rendered a body (`#app[data-loaded]`). */
export async function waitLoaded(page: Page, timeoutMs = 20_000): Promise<string> {
  await page.waitForSelector('#app[data-loaded]', { timeout: timeoutMs });
  return page.$eval('#app', (el) => (el as HTMLElement).dataset.loaded ?? '');
}

/** Every `[data-figure]` on the page: its path in the API body and its exact value (or null). */
export function pageFigures(
  page: Page,
): Promise<{ path: string; value: number | null; text: string; title: string }[]> {
  return page.$$eval('[data-figure]', (els) =>
    els.map((el) => {
      const raw = el.getAttribute('value');
      return {
        path: el.getAttribute('data-figure') ?? '',
        value: el.hasAttribute('data-null') || raw === null ? null : Number(raw),
        text: el.querySelector('[aria-hidden]')?.textContent ?? '',
        title: el.getAttribute('title') ?? '',
      };
    }),
  );
}

/** The value at a dotted path (`overview.events.unique`, `clients.by_events.0.users`). */
export function at(body: unknown, path: string): unknown {
  let v: unknown = body;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
