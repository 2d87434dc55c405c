import { describe, expect, it } from 'vitest';
import { StreamPacer } from './stream-pacer.js';

function pacer(ratePerSecond: number) {
  let clock = 0;
  const due: number[] = [];
  const p = new StreamPacer({ ratePerSecond, tickMs: 20, onDue: (n) => due.push(n), now: () => clock });
  const at = (ms: number): void => {
    clock = ms;
    p.tick();
  };
  return { p, due, at };
}

describe('StreamPacer', () => {
  it('hands out whole events at the rate, carrying fractions to later ticks', () => {
    const { due, at } = pacer(50);
    for (let ms = 10; ms <= 200; ms += 10) at(ms);
    // 50/s is one event every 20 ms.
    expect(due).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('owes nothing for time spent paused', () => {
    const { p, due, at } = pacer(100);
    p.setPaused(true);
    at(5000);
    expect(due).toEqual([]);
    p.setPaused(false);
    at(5100);
    expect(due).toEqual([10]);
    expect(p.paused).toBe(false);
  });

  it('never hands out more than a second of events after a stall', () => {
    const { due, at } = pacer(300);
    at(10_000);
    expect(due).toEqual([300]);
    const slow = pacer(0.5);
    slow.at(10_000);
    expect(slow.due).toEqual([1]);
  });

  it('hands out nothing at rate 0', () => {
    const { due, at } = pacer(0);
    at(60_000);
    expect(due).toEqual([]);
  });
});
