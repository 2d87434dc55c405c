import { BackfillMetrics, runBackfill } from '@nostr-info/collector/backfill';
import type { Databases } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { normalizeRelayUrl, readRelayList } from '@nostr-info/shared/relay';
import { progressLine } from '../progress-line.js';
import { ExitError, envOrExit, loggerFor, migrate, openDatabases } from '../runtime.js';
import type { BackfillArgs } from './backfill-args.js';

/**
 * The relays to read: the ones named, else the watched relays the collectors hold (the database's
 * list), else the bundled seed list (a database no collector has started on yet).
 */
async function relaysToRead(dbs: Databases, named: string[] | undefined): Promise<string[]> {
  if (named) return named;
  const watched = await dbs.reader
    .selectFrom('relays')
    .select('url')
    .where('watched', '=', true)
    .orderBy('url')
    .execute();
  if (watched.length > 0) return watched.map((r) => r.url);
  const seeds: string[] = [];
  for (const entry of readRelayList()) {
    try {
      seeds.push(normalizeRelayUrl(entry));
    } catch {
      // The bundled list is checked by its own test; a bad line is skipped.
    }
  }
  return seeds;
}

/** How often a long run pushes its metrics (a Pushgateway keeps the last push). */
const PUSH_INTERVAL_MS = 15_000;

/** Pushes `metrics` now and every `PUSH_INTERVAL_MS`; a failed push is logged, never fatal. */
function pushing(metrics: BackfillMetrics, url: string | undefined, logger: Logger) {
  const push = async () => {
    if (!url) return;
    await metrics.push(url).catch((err: unknown) => logger.warn({ err }, 'backfill: metrics push failed'));
  };
  const timer = url ? setInterval(() => void push(), PUSH_INTERVAL_MS).unref() : undefined;
  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      await push();
    },
  };
}

/** `nostr-info backfill [options]`: exits 0 when every relay's run ended cleanly, 1 when one failed. */
export async function backfillCommand(args: BackfillArgs): Promise<void> {
  const env = envOrExit('migrate');
  const logger = loggerFor(env, 'backfill');
  const dbs = await openDatabases(env, logger, 'backfill');
  const line = progressLine();
  const metrics = new BackfillMetrics();
  const pusher = pushing(metrics, args.pushgateway, logger);
  try {
    await migrate(dbs, logger);
    const relays = await relaysToRead(dbs, args.relays);
    logger.info(
      { relays: relays.length, since: args.since, maxEventsPerRelay: args.maxEventsPerRelay },
      'backfill: starting',
    );
    const result = await runBackfill({
      db: dbs.writer,
      relays,
      logger,
      since: args.since,
      pageLimit: args.pageLimit,
      maxEventsPerRelay: args.maxEventsPerRelay,
      concurrency: args.concurrency,
      pageIntervalMs: args.pageIntervalMs,
      onPage: (p) => line.update(p),
      metrics,
    });
    line.update(result.progress, true);
    const failed = result.relays.filter((r) => r.error !== undefined);
    if (failed.length > 0)
      throw new ExitError(
        `backfill: ${failed.length} of ${relays.length} relays stopped early; run it again to resume them`,
        1,
      );
  } finally {
    line.end();
    await pusher.stop();
    await dbs.close();
  }
}
