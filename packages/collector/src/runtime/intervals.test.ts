import { afterEach, describe, expect, it, vi } from 'vitest';
import { Intervals } from './intervals.js';

describe('Intervals', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls each function at its own interval until stopped', () => {
    vi.useFakeTimers();
    const intervals = new Intervals();
    const fast = vi.fn();
    const slow = vi.fn();
    intervals.every(100, fast);
    intervals.every(250, slow);
    vi.advanceTimersByTime(500);
    expect(fast).toHaveBeenCalledTimes(5);
    expect(slow).toHaveBeenCalledTimes(2);
    intervals.stop();
    vi.advanceTimersByTime(1000);
    expect(fast).toHaveBeenCalledTimes(5);
    expect(slow).toHaveBeenCalledTimes(2);
  });

  it('never keeps the process alive', () => {
    const intervals = new Intervals();
    const spy = vi.spyOn(globalThis, 'setInterval');
    intervals.every(1000, () => undefined);
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    intervals.stop();
    spy.mockRestore();
  });
});
