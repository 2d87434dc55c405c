import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatCompact,
  formatDuration,
  formatExact,
  formatMs,
  formatPct,
  isRounded,
} from './format.js';

describe('formatCompact', () => {
  it('keeps values below 1,000 exact and shortens larger ones to three significant digits', () => {
    expect(formatCompact(0)).toBe('0');
    expect(formatCompact(999)).toBe('999');
    expect(formatCompact(1000)).toBe('1k');
    expect(formatCompact(1412)).toBe('1.4k');
    expect(formatCompact(12_345)).toBe('12.3k');
    expect(formatCompact(123_456)).toBe('123k');
    expect(formatCompact(1_000_000)).toBe('1M');
    expect(formatCompact(8_123_456)).toBe('8.1M');
    expect(formatCompact(2_500_000_000)).toBe('2.5B');
  });

  it('moves a value that rounds up to the next unit into that unit', () => {
    expect(formatCompact(999_960)).toBe('1M');
    expect(formatCompact(999_400)).toBe('999k');
  });

  it('says when the short form differs from the exact one', () => {
    expect(isRounded(999)).toBe(false);
    expect(isRounded(1000)).toBe(true);
    expect(formatExact(1412)).toBe('1,412');
    expect(formatExact(0.5)).toBe('0.5');
  });
});

describe('units and times', () => {
  it('writes percentages, durations and ages', () => {
    expect(formatPct(12.3456)).toBe('12.35 %');
    expect(formatMs(249.6)).toBe('250 ms');
    expect(formatMs(12_500)).toBe('12.5 s');
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(formatAgo('2025-01-01T11:59:50Z', now)).toBe('just now');
    expect(formatAgo('2025-01-01T11:57:00Z', now)).toBe('3 min ago');
    expect(formatAgo('2025-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAgo('2024-12-25T12:00:00Z', now)).toBe('7 days ago');
    expect(formatAgo('not a time', now)).toBe('unknown');
  });

  it('writes durations in the two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(95)).toBe('1 min 35 s');
    expect(formatDuration(7_260)).toBe('2 h 1 min');
    expect(formatDuration(200_000)).toBe('2 d 7 h');
  });
});
