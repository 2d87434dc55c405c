import { runScheduler } from '@nostr-info/scheduler';
import { type FullSnapshot, fullSnapshotSchema, type StatsRange } from '@nostr-info/shared/stats';
import { testRoleContext, testServices } from '@nostr-info/shared/testing';
import type { TestWorld } from './context.js';

/**
 * Runs the real scheduler over what the collectors of `world` wrote and returns the snapshot of
 * `range`, checked against the published schema: the figures as the API serves them. `runs` above
 * one runs it again: a run computes the web of trust after its snapshots (when `env` gives seeds),
 * so the second run's snapshot is the first to carry it.
 */
export async function schedulerSnapshot(
  world: TestWorld,
  range: StatsRange = '24h',
  { env = {}, runs = 1 }: { env?: Record<string, string>; runs?: number } = {},
): Promise<FullSnapshot> {
  const ctx = await testRoleContext('scheduler', {
    env: {
      DATABASE_URL: world.db.url,
      REDIS_URL: testServices().TEST_REDIS_URL,
      REDIS_KEY_PREFIX: world.prefix,
      ...env,
    },
  });
  try {
    for (let i = 0; i < runs; i++) {
      const run = await runScheduler(ctx, { ranges: [range], retention: false });
      if (run.error) throw run.error;
    }
    const row = await ctx.dbs.reader
      .selectFrom('statistics_snapshots')
      .select('body')
      .where('range', '=', range)
      .orderBy('computed_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    return fullSnapshotSchema.parse(row.body);
  } finally {
    await ctx.close();
  }
}
