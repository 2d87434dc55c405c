import { describe, expect, it } from 'vitest';
import type { OutageCause } from './outage-cause.js';
import { type OutageChange, OutageTracker, type OutageWrite } from './outage-tracker.js';

const TCP: OutageCause = { cause: 'tcp', detail: 'ECONNREFUSED' };
const CLOSE: OutageCause = { cause: 'ws_close', detail: '1006' };

function tracked(options = { graceMs: 30_000, mergeMs: 30_000 }) {
  const writes: Array<OutageWrite & { change: OutageChange }> = [];
  const served: number[] = [];
  const tracker = new OutageTracker(
    { write: (o, change) => writes.push({ ...o, change }), servedAfterBegin: (at) => served.push(at) },
    options,
  );
  return { tracker, writes, served };
}

describe('OutageTracker', () => {
  it('confirms after the grace, from when serving stopped, and ends when it serves again', () => {
    const { tracker, writes } = tracked();
    tracker.begin(0);
    tracker.served(500);
    tracker.stopped(10_000, CLOSE);
    tracker.stopped(12_000, TCP);
    tracker.check(39_999);
    expect(writes).toEqual([]);
    tracker.check(40_000);
    expect(tracker.ongoing).toBe(true);
    tracker.served(100_000);
    expect(tracker.ongoing).toBe(false);
    expect(writes).toEqual([
      { startedAt: 10_000, endedAt: null, ...TCP, change: 'confirmed' },
      { startedAt: 10_000, endedAt: 100_000, ...TCP, change: 'ended' },
    ]);
  });

  it('writes nothing for a failure shorter than the grace', () => {
    const { tracker, writes } = tracked();
    tracker.begin(0);
    tracker.served(100);
    tracker.stopped(1000, CLOSE);
    tracker.served(5000);
    tracker.check(200_000);
    expect(writes).toEqual([]);
  });

  it('collapses flapping (short returns to serving) into one outage', () => {
    const { tracker, writes } = tracked();
    tracker.begin(0);
    tracker.served(100);
    // Down 8 s, up 4 s, five times: 60 s in all, no down period near the grace on its own.
    for (let i = 0; i < 5; i++) {
      const t = 10_000 + i * 12_000;
      tracker.stopped(t, CLOSE);
      tracker.check(t + 4000);
      tracker.served(t + 8000);
    }
    tracker.check(200_000);
    const starts = new Set(writes.map((w) => w.startedAt));
    expect([...starts]).toEqual([10_000]);
    expect(writes.at(-1)).toMatchObject({ startedAt: 10_000, endedAt: 66_000 });
    // Confirmed as it ended its third down period (32 s after the first stop), reopened twice.
    expect(writes.map((w) => w.change)).toEqual(['confirmed', 'reopened', 'ended', 'reopened', 'ended']);
  });

  it('starts a new outage once the relay served for longer than the merge window', () => {
    const { tracker, writes } = tracked();
    tracker.begin(0);
    tracker.served(0);
    tracker.stopped(1000, TCP);
    tracker.served(41_000);
    tracker.check(71_000);
    tracker.stopped(72_000, TCP);
    tracker.check(102_000);
    expect(writes.map((w) => [w.startedAt, w.endedAt])).toEqual([
      [1000, 41_000],
      [72_000, null],
    ]);
  });

  it('counts a relay that never served from when watching began, and tells of the first serve', () => {
    const { tracker, writes, served } = tracked();
    tracker.begin(5000);
    tracker.stopped(5100, TCP);
    tracker.check(35_000);
    expect(writes).toEqual([{ startedAt: 5000, endedAt: null, ...TCP, change: 'confirmed' }]);
    tracker.served(50_000);
    tracker.stopped(200_000, TCP);
    tracker.served(201_000);
    expect(served).toEqual([50_000]);
  });

  it('leaves an ongoing outage to the next holder on release', () => {
    const { tracker, writes } = tracked();
    tracker.begin(0);
    tracker.stopped(10, TCP);
    tracker.check(40_000);
    tracker.release();
    expect(tracker.ongoing).toBe(false);
    tracker.check(1_000_000);
    expect(writes).toHaveLength(1);
  });
});
