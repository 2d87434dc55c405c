import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createCollectorMetrics } from '../observe/metrics.js';
import { ReconcileLoop } from './reconcile-loop.js';

function setup(tick: () => Promise<void>, edits: (string[] | undefined)[] = []) {
  const metrics = createCollectorMetrics(new Registry());
  const logger = { info: vi.fn(), warn: vi.fn() };
  const seeded: string[][] = [];
  const relayFile = { changed: () => edits.shift(), seeded: vi.fn() };
  const afterRound = vi.fn();
  const loop = new ReconcileLoop({
    reconciler: { tick },
    relayFile,
    seed: async (relays) => {
      seeded.push([...relays]);
      return 1;
    },
    afterRound,
    metrics,
    logger,
  });
  return { loop, metrics, logger, seeded, relayFile, afterRound };
}

async function reconcileErrors(metrics: ReturnType<typeof createCollectorMetrics>): Promise<number> {
  const values = (await metrics.dbErrors.get()).values;
  return values.find((v) => v.labels.operation === 'reconcile')?.value ?? 0;
}

describe('ReconcileLoop', () => {
  it('runs one round at a time: a call during a round joins it', async () => {
    let release: () => void = () => undefined;
    const tick = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    const { loop } = setup(tick);
    const first = loop.run();
    expect(loop.run()).toBe(first);
    expect(loop.current).toBe(first);
    await vi.waitFor(() => expect(tick).toHaveBeenCalledOnce());
    release();
    await first;
    expect(loop.current).toBeUndefined();
    const second = loop.run();
    await vi.waitFor(() => expect(tick).toHaveBeenCalledTimes(2));
    release();
    await second;
  });

  it('seeds an edited relay list file before converging, and marks it seeded', async () => {
    const order: string[] = [];
    const { loop, seeded, relayFile, logger } = setup(async () => {
      order.push('tick');
    }, [['wss://a', 'wss://b']]);
    relayFile.seeded.mockImplementation(() => order.push('seeded'));
    await loop.run();
    expect(seeded).toEqual([['wss://a', 'wss://b']]);
    expect(order).toEqual(['seeded', 'tick']);
    expect(logger.info).toHaveBeenCalledWith(
      { relays: 2, unwatched: 1 },
      'relay list file changed: seeded again',
    );
    await loop.run();
    expect(seeded).toHaveLength(1);
  });

  it('counts and logs a failed round, never rejects, and shares the seen budget anyway', async () => {
    const { loop, metrics, logger, afterRound } = setup(() => Promise.reject(new Error('db down')));
    await expect(loop.run()).resolves.toBeUndefined();
    expect(await reconcileErrors(metrics)).toBe(1);
    expect(logger.warn).toHaveBeenCalledOnce();
    expect(afterRound).toHaveBeenCalledOnce();
  });
});
