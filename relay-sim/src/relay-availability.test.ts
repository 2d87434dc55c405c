import { describe, expect, it } from 'vitest';
import { RelayAvailability } from './relay-availability.js';

describe('RelayAvailability', () => {
  it('records down periods and sums the down time within a window', () => {
    const a = new RelayAvailability();
    expect(a.up).toBe(true);
    a.down(1000);
    a.down(1500); // already down: no second period
    expect(a.up).toBe(false);
    a.restored(4000);
    a.down(10_000);
    expect(a.periods).toEqual([
      { downAt: 1000, upAt: 4000 },
      { downAt: 10_000, upAt: undefined },
    ]);
    expect(a.downMsWithin(0, 20_000)).toBe(3000 + 10_000);
    expect(a.downMsWithin(2000, 11_000)).toBe(2000 + 1000);
  });
});
