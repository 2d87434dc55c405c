import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScheduler, startSchedulerTimer } from '../src/scheduler.js';
import { createTestContext, type TestContext } from './context.js';
import { NOW, seedDataset } from './fixture.js';

async function snapshotCount(t: TestContext): Promise<number> {
  const row = await t.dbs.writer
    .selectFrom('statistics_snapshots')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the embedded database (PGlite): overlapping runs and the all-in-one timer', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext('pglite');
    await seedDataset(t.dbs.writer);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a second run started while one is in flight skips; the first writes a full set', async () => {
    const [first, second] = await Promise.all([
      runScheduler(t.ctx, { now: () => NOW }),
      runScheduler(t.ctx, { now: () => NOW }),
    ]);
    expect(first?.error).toBeUndefined();
    expect(first?.skipped).toBeUndefined();
    expect(second?.skipped).toBe(true);
    expect(await snapshotCount(t)).toBe(5);
  });

  it('the timer runs once at start and stops cleanly', async () => {
    const before = await snapshotCount(t);
    const service = startSchedulerTimer(t.ctx, { intervalSeconds: 3600, run: { now: () => NOW } });
    try {
      await expect.poll(() => snapshotCount(t), { timeout: 20_000 }).not.toBe(before);
    } finally {
      await service.stop();
    }
    expect(await snapshotCount(t)).toBe(before + 5);
  });
});

describe('a cache outage', () => {
  it('does not fail the run: snapshots reach the database, which the API falls back to', async () => {
    const t = await createTestContext('pglite', { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      await seedDataset(t.dbs.writer);
      const result = await runScheduler(t.ctx, { now: () => NOW });
      expect(result.error).toBeUndefined();
      expect(await snapshotCount(t)).toBe(5);
      const run = await t.dbs.writer.selectFrom('scheduler_runs').select('success').executeTakeFirstOrThrow();
      expect(run.success).toBe(true);
    } finally {
      await t.close();
    }
  }, 30_000);
});
