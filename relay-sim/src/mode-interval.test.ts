import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModeInterval } from './mode-interval.js';

describe('ModeInterval', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks every period while the relay is in its mode, once however often it is followed', () => {
    const tick = vi.fn();
    const task = new ModeInterval('notice', 500, tick);
    task.follow('normal');
    vi.advanceTimersByTime(1000);
    expect(tick).not.toHaveBeenCalled();
    task.follow('notice');
    task.follow('notice');
    vi.advanceTimersByTime(1000);
    expect(tick).toHaveBeenCalledTimes(2);
    expect(task.running).toBe(true);
  });

  it('stops when the relay leaves its mode or closes', () => {
    const tick = vi.fn();
    const task = new ModeInterval('oversized', 100, tick);
    task.follow('oversized');
    vi.advanceTimersByTime(100);
    task.follow('flood');
    vi.advanceTimersByTime(1000);
    expect(tick).toHaveBeenCalledTimes(1);
    expect(task.running).toBe(false);
    task.follow('oversized');
    task.stop();
    vi.advanceTimersByTime(1000);
    expect(tick).toHaveBeenCalledTimes(1);
  });
});
