import { describe, expect, it } from 'vitest';
import { hourOf, slotIn, slotOf } from './buckets.js';

const at = Date.UTC(2026, 11, 5, 10, 37, 20);

describe('buckets', () => {
  it('places a time in its UTC hour and 5-minute slot', () => {
    expect(hourOf(at)).toBe('2026-12-05T10:00:00.000Z');
    expect(slotOf(at)).toBe('2026-12-05T10:35:00.000Z');
    expect(slotOf(Date.UTC(2026, 11, 5, 10, 39, 59, 999))).toBe('2026-12-05T10:35:00.000Z');
    expect(slotOf(Date.UTC(2026, 11, 5, 10, 40))).toBe('2026-12-05T10:40:00.000Z');
  });

  it('keeps a slot inside the hour it is asked for', () => {
    const hour = hourOf(at);
    expect(slotIn(hour, at)).toBe('2026-12-05T10:35:00.000Z');
    // The clock read just after the hour named turned: the hour's last slot, not the next hour's.
    expect(slotIn(hour, Date.UTC(2026, 11, 5, 11, 0, 0, 3))).toBe('2026-12-05T10:55:00.000Z');
    expect(slotIn(hour, Date.UTC(2026, 11, 5, 9, 59, 59))).toBe('2026-12-05T10:00:00.000Z');
    // An hour written without milliseconds is the same hour.
    expect(slotIn('2026-12-05T10:00:00Z', at)).toBe('2026-12-05T10:35:00.000Z');
    expect(slotIn('h', at)).toBe('h');
  });
});
