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

  it('hands each frame to the pipeline, then lets back-pressure look, and passes on its verdict', () => {
    const calls: string[] = [];
    const host = connectionHost({
      logger,
      metrics,
      aggregator: new Aggregator(),
      pipeline: {
        handle: (_conn, frame, atMs) => {
          calls.push(`handle ${frame.toString()} ${atMs}`);
          return frame.toString() !== 'off-filter';
        },
      },
      backPressure: { afterFrame: () => calls.push('after frame'), paused: false },
    });
    expect(host.onEventFrame({} as RelayConnection, Buffer.from('frame'), 42)).toBe(true);
    expect(calls).toEqual(['handle frame 42', 'after frame']);
    expect(host.onEventFrame({} as RelayConnection, Buffer.from('off-filter'), 43)).toBe(false);
  });

  it('says paused while back-pressure holds reading', () => {
    const backPressure = { afterFrame: () => undefined, paused: false };
    const host = connectionHost({
      logger,
      metrics,
      aggregator: new Aggregator(),
      pipeline: { handle: () => true },
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
      pipeline: { handle: () => true },
      backPressure: { afterFrame: () => undefined, paused: false },
    });
    const before = host.buffer();
    aggregator.take();
    expect(host.buffer()).toBe(aggregator.buffer);
    expect(host.buffer()).not.toBe(before);
  });
});
