import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { OrderedShutdown } from './ordered-shutdown.js';

describe('OrderedShutdown', () => {
  it('runs each step only after the one before it has finished', async () => {
    const order: string[] = [];
    const shutdown = new OrderedShutdown(() => [
      { run: () => order.push('sync') },
      {
        run: async () => {
          await sleep(30);
          order.push('slow');
        },
      },
      { run: async () => order.push('last') },
    ]);
    await shutdown.run();
    expect(order).toEqual(['sync', 'slow', 'last']);
  });

  it('moves past a stuck step at its deadline and leaves it running', async () => {
    const order: string[] = [];
    const stuck = new Promise<void>(() => undefined);
    const started = Date.now();
    const shutdown = new OrderedShutdown(() => [
      { run: () => stuck, deadlineMs: 50 },
      { run: () => order.push('after') },
    ]);
    await shutdown.run();
    expect(order).toEqual(['after']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('does not wait out the deadline of a step that finishes in time', async () => {
    const started = Date.now();
    await new OrderedShutdown(() => [{ run: () => sleep(10), deadlineMs: 10_000 }]).run();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('waits for a step without a deadline however long it takes', async () => {
    let done = false;
    await new OrderedShutdown(() => [
      {
        run: async () => {
          await sleep(80);
          done = true;
        },
      },
    ]).run();
    expect(done).toBe(true);
  });

  it('runs once: a second call joins the first', async () => {
    let built = 0;
    let ran = 0;
    const shutdown = new OrderedShutdown(() => {
      built += 1;
      return [{ run: () => sleep(20).then(() => ran++) }];
    });
    expect(shutdown.begun).toBe(false);
    const first = shutdown.run();
    expect(shutdown.begun).toBe(true);
    expect(shutdown.run()).toBe(first);
    await first;
    expect([built, ran]).toEqual([1, 1]);
  });

  it('builds the steps when it begins, from the parts as they are then', async () => {
    let part = 'before';
    const seen: string[] = [];
    const shutdown = new OrderedShutdown(() => {
      const now = part;
      return [{ run: () => seen.push(now) }];
    });
    part = 'after';
    await shutdown.run();
    expect(seen).toEqual(['after']);
  });

  it('stops at a step that fails and rejects with its error', async () => {
    const order: string[] = [];
    const shutdown = new OrderedShutdown(() => [
      {
        run: () => {
          throw new Error('boom');
        },
      },
      { run: () => order.push('never') },
    ]);
    await expect(shutdown.run()).rejects.toThrow('boom');
    expect(order).toEqual([]);
  });
});
