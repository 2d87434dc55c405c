import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.js';
import { type Stack, startStack } from './helpers/stack.js';

const REPORTS = fileURLToPath(new URL('../test-results/lighthouse/', import.meta.url));

/** The targets: performance ≥ 90, accessibility ≥ 95, best practices ≥ 95. */
const MIN_SCORES = { performance: 0.9, accessibility: 0.95, 'best-practices': 0.95 } as const;
/** What `/` may transfer, compressed, on a first visit. */
const MAX_TRANSFER_BYTES = 150 * 1024;

/** Lighthouse's benchmark index of a mid-tier phone, the device its mobile CPU throttling targets. */
const MID_TIER_INDEX = 1000;

/**
 * Lighthouse (the npm package) on the same Debian Chromium, with its default mobile settings
 * (simulated slow 4G), against the all-in-one fed by the simulated network. The CPU slowdown is
 * calibrated to the host as DevTools' calibration does (the host's benchmark index over a mid-tier
 * phone's, at least 1×; 4× by default assumes a fast desktop), so the score measures the page on a
 * fixed target device, not the speed of the machine running the test.
 * Each page's summary goes to test-results/lighthouse/<page>.json.
 */
describe('Lighthouse', () => {
  let stack: Stack;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let cpuSlowdownMultiplier = 4;

  beforeAll(async () => {
    stack = await startStack({ statsIntervalSeconds: 20 });
    chromium = await launchChromium();
    const page = await chromium.browser.newPage();
    const probe = await lighthouse(
      `${stack.origin}/`,
      { output: 'json', logLevel: 'error', onlyCategories: ['performance'] },
      undefined,
      page,
    );
    await page.close();
    const index = probe?.lhr.environment.benchmarkIndex ?? MID_TIER_INDEX * 4;
    cpuSlowdownMultiplier = Math.max(1, Math.round((index / MID_TIER_INDEX) * 10) / 10);
    process.stdout.write(
      `lighthouse: host benchmark index ${index}, CPU slowdown ${cpuSlowdownMultiplier}×\n`,
    );
  });

  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
  });

  for (const [name, path] of [
    ['overview', '/'],
    ['relays', '/relays'],
  ] as const) {
    it(`${path}: scores and transfer size`, async () => {
      const page = await chromium.browser.newPage();
      const result = await lighthouse(
        `${stack.origin}${path}`,
        {
          output: 'json',
          logLevel: 'error',
          onlyCategories: Object.keys(MIN_SCORES),
          throttling: { cpuSlowdownMultiplier },
        },
        undefined,
        page,
      );
      await page.close();
      const lhr = result?.lhr;
      if (!lhr) throw new Error('Lighthouse returned no result');
      const scores = Object.fromEntries(
        Object.keys(MIN_SCORES).map((id) => [id, lhr.categories[id]?.score ?? 0]),
      );
      const transfer = lhr.audits['total-byte-weight']?.numericValue ?? Number.NaN;
      const failing = Object.values(lhr.audits)
        .filter(
          (a) =>
            a.score !== null &&
            a.score < 1 &&
            a.scoreDisplayMode !== 'informative' &&
            a.scoreDisplayMode !== 'manual',
        )
        .map((a) => `${a.id}: ${a.score} ${a.displayValue ?? ''}`);
      mkdirSync(REPORTS, { recursive: true });
      writeFileSync(
        join(REPORTS, `${name}.json`),
        `${JSON.stringify({ url: path, scores, transferBytes: transfer, lighthouse: lhr.lighthouseVersion, failing }, null, 2)}\n`,
      );
      process.stdout.write(
        `lighthouse ${path}: ${JSON.stringify(scores)} transfer ${transfer} B; below 1: ${failing.join('; ')}\n`,
      );
      for (const [id, min] of Object.entries(MIN_SCORES))
        expect(scores[id], `${id} (${failing.join('; ')})`).toBeGreaterThanOrEqual(min);
      expect(transfer).toBeLessThanOrEqual(MAX_TRANSFER_BYTES);
    });
  }
});
