import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { OrderedShutdown } from './ordered-shutdown.js';
import { type CollectorStopParts, collectorStopSteps, type StoppingConnection } from './stop-sequence.js';

/** Fakes of every part, each recording what happened to it in `log`. */
function fakeParts(log: string[]) {
  const record = (line: string) => () => {
    log.push(line);
  };
  const recordAsync = (line: string) => async () => {
    log.push(line);
  };
  const connection = (name: string) => ({
    url: name,
    holder: `holder-${name}`,
    checkpoint: () => undefined,
    stop: recordAsync(`stop ${name}`),
    settled: recordAsync(`settled ${name}`),
  });
  const pipeline = { inFlight: 0, unresolved: 0 };
  const logger = { error: vi.fn(), info: vi.fn((msg: string) => log.push(msg)) };
  const flusher = {
    bufferedKeys: 0,
    flush: async (): Promise<boolean> => {
      log.push('final flush');
      return true;
    },
  };
  const parts = {
    timers: { stop: record('timers') },
    replicas: { stop: record('replicas') },
    reconciler: {
      close: async () => {
        log.push('reconciler closing');
        await sleep(5);
        log.push('hand-offs done');
      },
    },
    reconcileLoop: { current: undefined as Promise<void> | undefined },
    connections: { list: () => [connection('a'), connection('b')] },
    handover: { save: async (conn: StoppingConnection) => record(`save ${conn.url}`)() },
    pipeline,
    verifier: { close: recordAsync('verifier closed') },
    dedup: { close: recordAsync('dedup closed') },
    flusher,
    aggregator: { buffer: { empty: true } },
    server: {
      close: (done: () => void) => {
        log.push('server closed');
        done();
      },
    },
    logger,
  } satisfies CollectorStopParts;
  return { parts, pipeline, logger };
}

describe('collector stop sequence', () => {
  it('runs its steps in order', async () => {
    const log: string[] = [];
    const { parts } = fakeParts(log);
    await new OrderedShutdown(() => collectorStopSteps(parts)).run();
    expect(log).toEqual([
      'timers',
      'replicas',
      'reconciler closing',
      'hand-offs done',
      'stop a',
      'stop b',
      'settled a',
      'settled b',
      'save a',
      'save b',
      'verifier closed',
      'dedup closed',
      'final flush',
      'server closed',
      'collector stopped',
    ]);
  });

  it('lets the address resolutions under way be written before the final flush, up to their deadline', async () => {
    const log: string[] = [];
    const { parts } = fakeParts(log);
    const settled = async () => {
      await sleep(20);
      log.push('addresses written');
    };
    await new OrderedShutdown(() => collectorStopSteps({ ...parts, addresses: { settled } })).run();
    expect(log.indexOf('save b')).toBeLessThan(log.indexOf('addresses written'));
    expect(log.indexOf('addresses written')).toBeLessThan(log.indexOf('final flush'));

    const stuck: string[] = [];
    const { parts: again } = fakeParts(stuck);
    const hung = { settled: () => new Promise<void>(() => undefined) };
    await new OrderedShutdown(() =>
      collectorStopSteps({ ...again, addresses: hung }, { addressesMs: 30 }),
    ).run();
    expect(stuck.at(-1)).toBe('collector stopped');
  });

  it('gives a stuck reconcile round its deadline and goes on', async () => {
    const log: string[] = [];
    const { parts } = fakeParts(log);
    parts.reconcileLoop.current = new Promise<void>(() => undefined);
    const started = Date.now();
    await new OrderedShutdown(() => collectorStopSteps(parts, { reconcileRoundMs: 60 })).run();
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(log.at(-1)).toBe('collector stopped');
  });

  it('closes the verifier only once the checks under way have landed', async () => {
    const log: string[] = [];
    const { parts, pipeline } = fakeParts(log);
    pipeline.inFlight = 2;
    setTimeout(() => {
      log.push('checks landed');
      pipeline.inFlight = 0;
    }, 50).unref();
    await new OrderedShutdown(() => collectorStopSteps(parts, { pollIntervalMs: 5 })).run();
    expect(log.indexOf('checks landed')).toBeLessThan(log.indexOf('verifier closed'));
    expect(log.indexOf('save b')).toBeLessThan(log.indexOf('checks landed'));
  });

  it('waits for checks that never land only up to their deadlines', async () => {
    const log: string[] = [];
    const { parts, pipeline } = fakeParts(log);
    pipeline.inFlight = 1;
    const started = Date.now();
    const timing = { pendingChecksMs: 60, lastClaimsMs: 30, pollIntervalMs: 5 };
    await new OrderedShutdown(() => collectorStopSteps(parts, timing)).run();
    expect(Date.now() - started).toBeGreaterThanOrEqual(85);
    expect(log.at(-1)).toBe('collector stopped');
  });

  it('logs the events the cache never answered for once the dedup is closed', async () => {
    const log: string[] = [];
    const { parts, pipeline, logger } = fakeParts(log);
    parts.dedup.close = async () => {
      log.push('dedup closed');
      // A claim the close settles counts itself in a callback.
      void Promise.resolve().then(() => {
        pipeline.unresolved = 3;
      });
    };
    await new OrderedShutdown(() => collectorStopSteps(parts)).run();
    expect(logger.error).toHaveBeenCalledWith(
      { events: 3 },
      'dedup cache unavailable at shutdown: events counted for their relays but not network-wide',
    );
  });

  it('flushes until written, up to the final flush deadline', async () => {
    const log: string[] = [];
    const { parts, logger } = fakeParts(log);
    parts.flusher.flush = async () => {
      log.push('final flush');
      return false;
    };
    const finalFlush = { deadlineMs: 50, backoffInitialMs: 5, backoffMaxMs: 10 };
    await new OrderedShutdown(() => collectorStopSteps(parts, { finalFlush })).run();
    expect(log.filter((line) => line === 'final flush').length).toBeGreaterThan(2);
    expect(logger.error).toHaveBeenCalledWith({ keys: 0 }, 'final flush failed; counts lost');
    expect(log.slice(-2)).toEqual(['server closed', 'collector stopped']);
  });

  it('logs no loss when every claim was answered', async () => {
    const { parts, logger } = fakeParts([]);
    await new OrderedShutdown(() => collectorStopSteps(parts)).run();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('stops without a metrics server', async () => {
    const log: string[] = [];
    const { parts } = fakeParts(log);
    const { server: _server, ...withoutServer } = parts;
    await new OrderedShutdown(() => collectorStopSteps(withoutServer)).run();
    expect(log).not.toContain('server closed');
    expect(log.at(-1)).toBe('collector stopped');
  });
});
