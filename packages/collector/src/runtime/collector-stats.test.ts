import { describe, expect, it } from 'vitest';
import { collectorStats } from './collector-stats.js';

describe('collectorStats', () => {
  it('reads every total from the part that keeps it', () => {
    const stats = collectorStats({
      pipeline: { framesHandled: 10, uniqueCounted: 4, inFlight: 3 },
      verifier: { verified: 7, size: 2, inFlight: 1, batches: 5 },
      aggregator: { buffer: { keys: 12 } },
      dedup: { waiting: 6 },
      connections: { seenBytes: () => 4096 },
      paused: true,
    });
    expect(stats).toEqual({
      framesHandled: 10,
      verified: 7,
      unique: 4,
      verifyWorkers: 2,
      bufferKeys: 12,
      inFlight: 3,
      verifyBatches: 1,
      batchesSent: 5,
      dedupWaiting: 6,
      paused: true,
      seenBytes: 4096,
    });
  });
});
