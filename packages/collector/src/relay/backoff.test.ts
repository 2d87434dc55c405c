import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('grows exponentially from about a second, with jitter between half and full', () => {
    const low = new Backoff({ random: () => 0 });
    const high = new Backoff({ random: () => 1 });
    expect([low.next(), low.next(), low.next(), low.next()]).toEqual([500, 1000, 2000, 4000]);
    expect([high.next(), high.next(), high.next()]).toEqual([1000, 2000, 4000]);
  });

  it('caps in the tens of minutes and resets after a healthy connection', () => {
    const b = new Backoff({ random: () => 1 });
    let last = 0;
    for (let i = 0; i < 40; i++) last = b.next();
    expect(last).toBe(30 * 60_000);
    b.reset();
    expect(b.next()).toBe(1000);
  });

  it('spreads retries (no fixed interval)', () => {
    const b = new Backoff();
    const delays = new Set(
      Array.from({ length: 20 }, () => {
        b.reset();
        return b.next();
      }),
    );
    expect(delays.size).toBeGreaterThan(5);
  });
});
