import { describe, expect, it } from 'vitest';
import {
  COLLECTED_KINDS,
  FUTURE_AFTER_SECONDS,
  isCollectedKind,
  LATE_AFTER_SECONDS,
  timingOf,
} from './collection-rules.js';

describe('collection rules', () => {
  it('subscribes to deletions with the other collected kinds', () => {
    expect(COLLECTED_KINDS).toContain(5);
    expect(isCollectedKind(30023)).toBe(true);
    expect(isCollectedKind(1059)).toBe(false);
  });

  it('calls an event late past the window, future past the tolerance, else current', () => {
    const now = 1_800_000_000;
    const at = now * 1000;
    expect(timingOf(now - LATE_AFTER_SECONDS, at)).toBe('current');
    expect(timingOf(now - LATE_AFTER_SECONDS - 1, at)).toBe('late');
    expect(timingOf(now + FUTURE_AFTER_SECONDS, at)).toBe('current');
    expect(timingOf(now + FUTURE_AFTER_SECONDS + 1, at)).toBe('future');
    expect(timingOf(now - 3 * 86_400, at)).toBe('late');
  });
});
