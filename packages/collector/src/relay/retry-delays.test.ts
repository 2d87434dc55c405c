import { describe, expect, it } from 'vitest';
import { FAST_REDIAL_MS, FAST_WINDOW_MS, redialCapMs } from './redial-cap.js';
import { RetryDelays } from './retry-delays.js';

const MAX = 30 * 60_000;
const HOUR = 3_600_000;

describe('redialCapMs', () => {
  it('stays at a few seconds for the first minutes, then grows with the time away up to the max', () => {
    expect(redialCapMs(0, MAX)).toBe(FAST_REDIAL_MS);
    expect(redialCapMs(FAST_WINDOW_MS - 1, MAX)).toBe(FAST_REDIAL_MS);
    expect(redialCapMs(FAST_WINDOW_MS, MAX)).toBe(30_000);
    expect(redialCapMs(HOUR, MAX)).toBe(360_000);
    expect(redialCapMs(5 * HOUR, MAX)).toBe(MAX);
    expect(redialCapMs(100 * HOUR, MAX)).toBe(MAX);
    expect(redialCapMs(0, 1000)).toBe(1000);
  });
});

describe('RetryDelays', () => {
  it('redials a relay that served within 2-4 s for the first minutes of an outage, then backs off', () => {
    const delays = new RetryDelays({ initialMs: 1000, maxMs: MAX, random: () => 1 });
    let now = HOUR;
    delays.answered(now);
    now += 10 * 60_000;
    const waits: number[] = [];
    // Every redial fails at once; the outage goes on for ten hours.
    while (now < 11 * HOUR) {
      const wait = delays.afterSocketFailure(now);
      waits.push(wait);
      now += wait;
    }
    const early = waits.slice(0, 60);
    expect(Math.max(...early)).toBeLessThanOrEqual(FAST_REDIAL_MS);
    expect(waits.at(-1)).toBe(MAX);
    // A few hundred dials in ten hours, not one every few seconds throughout.
    expect(waits.length).toBeLessThan(250);
    expect(waits.length).toBeGreaterThan(75);
  });

  it('jitters the fast redial between half and all of its cap', () => {
    const low = new RetryDelays({ initialMs: 1000, maxMs: MAX, random: () => 0 });
    low.answered(HOUR);
    const waits = Array.from({ length: 10 }, (_, i) => low.afterSocketFailure(HOUR + 70_000 + i * 3000));
    expect(Math.min(...waits.slice(3))).toBe(FAST_REDIAL_MS / 2);
  });

  it('keeps the plain backoff for a relay never seen serving', () => {
    const delays = new RetryDelays({ initialMs: 1000, maxMs: MAX, random: () => 1 });
    const waits = Array.from({ length: 8 }, (_, i) => delays.afterSocketFailure(i * 1000));
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000]);
  });
});
