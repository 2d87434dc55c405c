import { createLogger } from '@nostr-info/shared/log';
import { Registry } from 'prom-client';
import { Aggregator } from '../../src/aggregate/aggregator.js';
import { createCollectorMetrics } from '../../src/observe/metrics.js';
import type { ConnectionHost } from '../../src/relay/relay-connection.js';

/**
 * What a lone `RelayConnection` needs around it in a test: a silent logger, metrics on a registry
 * of its own, an aggregator whose buffer takes the health rows, and the frame and pause hooks.
 */
export function testHost({
  onEventFrame = () => true,
  paused = () => false,
}: Partial<Pick<ConnectionHost, 'onEventFrame' | 'paused'>> = {}) {
  const registry = new Registry();
  const aggregator = new Aggregator();
  const host: ConnectionHost = {
    logger: createLogger({ level: 'silent', pretty: false }),
    metrics: createCollectorMetrics(registry),
    buffer: () => aggregator.buffer,
    onEventFrame,
    paused,
  };
  return { host, aggregator, registry };
}
