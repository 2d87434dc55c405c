import { createLogger } from '@nostr-info/shared/log';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../aggregate/aggregator.js';
import { createCollectorMetrics } from '../observe/metrics.js';
import type { RelayConnection } from '../relay/relay-connection.js';
import { connectionHost } from './connection-host.js';

describe('connectionHost', () => {
  const logger = createLogger({ level: 'silent' });
  const metrics = createCollectorMetrics(new Registry());

  it('hands each frame to the pipeline, then lets back-pressure look', () => {
    const calls: string[] = [];
    const host = connectionHost({
      logger,
      metrics,
      aggregator: new Aggregator(),
      pipeline: { handle: (_conn, frame, atMs) => calls.push(`handle ${frame.toString()} ${atMs}`) },
      backPressure: { afterFrame: () => calls.push('after frame'), paused: false },
    });
    host.onEventFrame({} as RelayConnection, Buffer.from('frame'), 42);
    expect(calls).toEqual(['handle frame 42', 'after frame']);
  });

  it('says paused while back-pressure holds reading', () => {
    const backPressure = { afterFrame: () => undefined, paused: false };
    const host = connectionHost({
      logger,
      metrics,
      aggregator: new Aggregator(),
      pipeline: { handle: () => undefined },
      backPressure,
    });
    expect(host.paused()).toBe(false);
    backPressure.paused = true;
    expect(host.paused()).toBe(true);
  });

  it('reads the live counter buffer at each use (a flush replaces it)', () => {
    const aggregator = new Aggregator();
    const host = connectionHost({
      logger,
      metrics,
      aggregator,
      pipeline: { handle: () => undefined },
      backPressure: { afterFrame: () => undefined, paused: false },
    });
    const before = host.buffer();
    aggregator.take();
    expect(host.buffer()).toBe(aggregator.buffer);
    expect(host.buffer()).not.toBe(before);
  });
});
