import { createMemoryCache } from '@nostr-info/shared/cache';
import { createLogger } from '@nostr-info/shared/log';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { Registry } from 'prom-client';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createCollectorMetrics } from '../observe/metrics.js';
import type { ConnectionHost } from '../relay/relay-connection.js';
import { connectionFactory } from './connection-factory.js';
import { type Ingest, startIngest } from './ingest.js';

const env = { VERIFY_WORKERS: 1, DEDUP_TTL_SECONDS: 3600, DISCOVERY_ENABLED: false };

describe('startIngest', () => {
  const cache = createMemoryCache();
  let ingest: Ingest | undefined;

  afterEach(async () => {
    await ingest?.verifier.close();
    await ingest?.dedup.close();
    ingest = undefined;
  });
  afterAll(() => cache.close());

  it('starts a verifier and counts a valid event once network-wide', async () => {
    const metrics = createCollectorMetrics(new Registry());
    const logger = createLogger({ level: 'silent' });
    const onSettled = vi.fn();
    ingest = await startIngest(env, {}, { cache, metrics, logger, onSettled });
    const { pipeline, aggregator } = ingest;
    expect(ingest.verifier.size).toBe(1);
    const info = (await metrics.verifierInfo.get()).values;
    expect(info).toEqual([
      expect.objectContaining({ labels: { backend: ingest.verifier.backend }, value: 1 }),
    ]);

    const host: ConnectionHost = {
      logger,
      metrics,
      buffer: () => aggregator.buffer,
      onEventFrame: () => true,
      paused: () => false,
    };
    const create = connectionFactory({
      host,
      connections: { size: 0 },
      seenBudgetBytes: 1024 * 1024,
      resumeLookbackSeconds: 900,
      dedupTtlSeconds: 3600,
    });
    const event = finalizeEvent(
      { kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: 'hello' },
      generateSecretKey(),
    );
    const frame = Buffer.from(JSON.stringify(['EVENT', 'sub', event]));
    const [a, b] = [create({ id: 1, url: 'wss://a.example' }), create({ id: 2, url: 'wss://b.example' })];
    for (const conn of [a, b]) conn.subscriptions.open('sub', {});
    pipeline.handle(a, frame, Date.now());
    pipeline.handle(b, frame, Date.now());
    await vi.waitFor(() => expect(pipeline.inFlight).toBe(0));
    expect(pipeline.uniqueCounted).toBe(1);
    expect(onSettled).toHaveBeenCalled();
    expect(pipeline.takeUniqueByKind()).toEqual(new Map([[1, 1]]));
    expect(pipeline.takeUniqueByKind()).toEqual(new Map());
  });
});
