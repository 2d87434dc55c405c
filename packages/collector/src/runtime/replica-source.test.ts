import { createLogger } from '@nostr-info/shared/log';
import { describe, expect, it } from 'vitest';
import { replicaSource } from './replica-source.js';

describe('replicaSource', () => {
  it('uses COLLECTOR_REPLICAS when no StatefulSet is named', async () => {
    const logger = createLogger({ level: 'silent' });
    const source = await replicaSource({ COLLECTOR_REPLICAS: 3 }, logger);
    expect(source.current).toBe(3);
    source.stop();
  });
});
