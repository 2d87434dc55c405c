import { createLogger } from '@nostr-info/shared/log';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../aggregate/aggregator.js';
import { seenCapacity } from '../dedup/seen-budget.js';
import { createCollectorMetrics } from '../observe/metrics.js';
import type { ConnectionHost } from '../relay/relay-connection.js';
import { connectionFactory } from './connection-factory.js';

const MiB = 1024 * 1024;

function setup(held: number) {
  const aggregator = new Aggregator();
  const host: ConnectionHost = {
    logger: createLogger({ level: 'silent' }),
    metrics: createCollectorMetrics(new Registry()),
    buffer: () => aggregator.buffer,
    onEventFrame: () => true,
    paused: () => false,
  };
  return connectionFactory({
    host,
    connections: { size: held },
    seenBudgetBytes: 12 * MiB,
    resumeLookbackSeconds: 900,
    dedupTtlSeconds: 86_400,
  });
}

describe('connectionFactory', () => {
  it('builds an unstarted connection with the limits last read from the relay', () => {
    const conn = setup(0)({ id: 7, url: 'wss://relay.example', max_message_length: 65_536 });
    expect(conn.relayId).toBe(7);
    expect(conn.url).toBe('wss://relay.example');
    expect(conn.started).toBe(false);
    expect(conn.maxMessageLength).toBe(65_536);
    expect(conn.maxSubscriptions).toBeNull();
  });

  it('gives a new connection an equal share of the seen budget with the ones held', () => {
    const alone = setup(0)({ id: 1, url: 'wss://a.example' });
    const crowded = setup(1999)({ id: 2, url: 'wss://b.example' });
    expect(alone.seen.limit).toBe(seenCapacity(1, 12 * MiB));
    expect(crowded.seen.limit).toBe(seenCapacity(2000, 12 * MiB));
    expect(crowded.seen.limit).toBeLessThan(alone.seen.limit);
  });
});
