import { describe, expect, it } from 'vitest';
import { mean, nearestRank, percent, round } from './numbers.js';

describe('numbers', () => {
  it('nearest-rank percentiles pick an actual value', () => {
    const v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(nearestRank(v, 50)).toBe(50);
    expect(nearestRank(v, 95)).toBe(100);
    expect(nearestRank([7], 95)).toBe(7);
    expect(nearestRank([], 50)).toBeNull();
  });

  it('percent rounds to two decimals, clamps to 100 and is 0 for an empty whole', () => {
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(5, 4)).toBe(100);
    expect(percent(3, 0)).toBe(0);
  });

  it('mean has one decimal; round handles digits', () => {
    expect(mean([1, 2])).toBe(1.5);
    expect(mean([1, 1, 2])).toBe(1.3);
    expect(mean([])).toBeNull();
    expect(round(2.345, 1)).toBe(2.3);
  });
});
