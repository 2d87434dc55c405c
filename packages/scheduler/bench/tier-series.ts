/**
 * The activity timeline's tier series against the naive alternative (on demand:
 * `pnpm --filter @nostr-info/scheduler bench:tier-series -- --db <name>`, on a database the
 * scheduler bench generated and refreshed). Times, three times each, what a statistics run reads
 * (the stored buckets plus those since the last tier refresh, counted live) and what it would
 * cost to count every bucket live: the 90d days and the 7d hours joined with `pubkeys`.
 */
import { parseArgs } from 'node:util';
import { createDatabases } from '@nostr-info/shared/db';
import { testServices } from '@nostr-info/shared/testing';
import { sql } from 'kysely';
import { rangeWindow, truncDay, truncHour } from '../src/compute/range-window.js';
import { readTierSeries, tierBucketCounts } from '../src/compute/tier-buckets.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { db: { type: 'string', default: 'nostr_info_bench_1y' } },
});
const url = new URL(testServices().TEST_PG_ADMIN_URL);
url.pathname = `/${values.db}`;
const dbs = await createDatabases({ databaseUrl: url.toString() });
const out = (line: string) => process.stdout.write(`${line}\n`);

try {
  const { rows } = await sql<{ at: Date }>`select generated_at as at from bench_meta`.execute(dbs.writer);
  const now = rows[0]?.at;
  if (!now) throw new Error('not a finished benchmark dataset');
  // As the statistics run reads (`withConsistentRead` turns JIT off).
  await sql`set jit = off`.execute(dbs.writer);
  const time = async (label: string, fn: () => Promise<unknown>) => {
    const xs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await fn();
      xs.push(performance.now() - t0);
    }
    out(`| ${label} | ${xs.map((x) => `${x.toFixed(0)} ms`).join(', ')} |`);
  };
  const firstHour = truncHour(rangeWindow('7d', now).start ?? now);
  const firstDay = truncDay(rangeWindow('90d', now).start ?? now);
  out('| read | times |');
  out('|---|---|');
  await time('hour series, 7d (stored + live)', () => readTierSeries(dbs.writer, 'hour', firstHour));
  await time('day series, all (stored + live)', () => readTierSeries(dbs.writer, 'day', null));
  await time('every 7d hour counted live', () =>
    tierBucketCounts(
      'hour',
      sql`${firstHour.toISOString()}::timestamptz`,
      sql`'infinity'::timestamptz`,
    ).execute(dbs.writer),
  );
  await time('every 90d day counted live', () =>
    tierBucketCounts('day', sql`${firstDay.toISOString().slice(0, 10)}::date`, sql`'infinity'::date`).execute(
      dbs.writer,
    ),
  );
} finally {
  await dbs.close();
}
