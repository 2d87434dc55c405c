import { describe, expect, it, vi } from 'vitest';
import { FinalFlush } from './final-flush.js';

/** A flusher whose attempts answer from `results` in turn (the last one repeats). */
function scriptedFlusher(results: boolean[]) {
  const attemptsAt: number[] = [];
  return {
    attemptsAt,
    bufferedKeys: 42,
    flush: async () => {
      attemptsAt.push(Date.now());
      return results[Math.min(attemptsAt.length - 1, results.length - 1)] ?? false;
    },
  };
}

describe('FinalFlush', () => {
  it('is done after one successful flush of an empty-again buffer', async () => {
    const flusher = scriptedFlusher([true]);
    const logger = { error: vi.fn() };
    expect(await new FinalFlush({ flusher, bufferEmpty: () => true, logger }).run()).toBe(true);
    expect(flusher.attemptsAt).toHaveLength(1);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('flushes again while counts keep landing after a successful flush', async () => {
    const flusher = scriptedFlusher([true]);
    let refills = 2;
    const bufferEmpty = () => refills-- <= 0;
    const done = await new FinalFlush({ flusher, bufferEmpty, logger: { error: vi.fn() } }).run();
    expect(done).toBe(true);
    expect(flusher.attemptsAt).toHaveLength(3);
  });

  it('retries failed flushes with growing waits until one succeeds', async () => {
    const flusher = scriptedFlusher([false, false, false, true]);
    const logger = { error: vi.fn() };
    const finalFlush = new FinalFlush({
      flusher,
      bufferEmpty: () => true,
      logger,
      backoffInitialMs: 20,
      backoffMaxMs: 1000,
    });
    expect(await finalFlush.run()).toBe(true);
    expect(flusher.attemptsAt).toHaveLength(4);
    const gaps = flusher.attemptsAt.slice(1).map((at, i) => at - (flusher.attemptsAt[i] ?? at));
    // 20, 40, 80 ms (timers may fire a millisecond early).
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('caps the wait between attempts', async () => {
    const flusher = scriptedFlusher([false, false, false, false, false, true]);
    const started = Date.now();
    const finalFlush = new FinalFlush({
      flusher,
      bufferEmpty: () => true,
      logger: { error: vi.fn() },
      backoffInitialMs: 10,
      backoffMaxMs: 20,
    });
    expect(await finalFlush.run()).toBe(true);
    // Uncapped: 10 + 20 + 40 + 80 + 160 ms; capped: 10 + 4 × 20 ms.
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('gives up at the deadline and logs the keys it loses', async () => {
    const flusher = scriptedFlusher([false]);
    const logger = { error: vi.fn() };
    const started = Date.now();
    const finalFlush = new FinalFlush({
      flusher,
      bufferEmpty: () => true,
      logger,
      deadlineMs: 150,
      backoffInitialMs: 10,
      backoffMaxMs: 40,
    });
    expect(await finalFlush.run()).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(flusher.attemptsAt.length).toBeGreaterThan(2);
    expect(logger.error).toHaveBeenCalledOnce();
    expect(logger.error).toHaveBeenCalledWith({ keys: 42 }, 'final flush failed; counts lost');
  });
});
