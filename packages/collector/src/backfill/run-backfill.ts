import type { Database } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import type { Kysely } from 'kysely';
import { fetchRelayInfo } from '../relay/nip11.js';
import { loadVerifier, type Verifier } from '../verify/schnorr.js';
import type { BackfillMetrics } from './backfill-metrics.js';
import type { BackfillProgress, BackfillResult } from './backfill-result.js';
import { readRelayHistory } from './relay-history.js';
import type { HistoryPage, PageResult } from './write-page.js';
import { writeHistoryPage } from './write-page.js';

/** Bounds and pace of a backfill run; every field but `db`, `relays` and `logger` has a default. */
export interface BackfillOptions {
  db: Kysely<Database>;
  /** Normalised relay URLs to read. */
  relays: readonly string[];
  logger: Logger;
  /** BIP-340 verifier (default: the fastest available). */
  verifier?: Verifier;
  /** Oldest `created_at` read (unix seconds; default 0: all history the relays keep). */
  since?: number;
  /** The run's clock (unix seconds): the first page of a relay never read starts here. */
  now?: number;
  /** Events asked per page, lowered to each relay's NIP-11 `max_limit` (default 500). */
  pageLimit?: number;
  /** Events read per relay in this run at most (default 100,000); a rerun goes on from there. */
  maxEventsPerRelay?: number;
  /** Relays read at once (default 4). */
  concurrency?: number;
  /** Least time between two pages asked of one relay (default 1,000 ms). */
  pageIntervalMs?: number;
  openTimeoutMs?: number;
  pageTimeoutMs?: number;
  /** After every page written, and after each relay (progress line). */
  onPage?: (progress: BackfillProgress) => void;
  /** Prometheus figures of the run (pushed by the caller). */
  metrics?: BackfillMetrics;
}

/** Where a relay's reading starts: `skip` when it was read down to `since` already. */
function startOf(
  row: { since: Date; reached_at: Date | null; done: boolean } | undefined,
  since: number,
  now: number,
): { skip: true } | { skip: false; until: number } {
  if (!row) return { skip: false, until: now };
  const reached = row.reached_at ? Math.floor(row.reached_at.getTime() / 1000) : null;
  if (row.done && reached !== null && reached <= since) return { skip: true };
  return { skip: false, until: reached ?? now };
}

/** The relay's NIP-11 `max_limit`, when it states a usable one. */
async function maxLimitOf(url: string, timeoutMs: number): Promise<number | null> {
  const info = await fetchRelayInfo(url, { timeoutMs });
  const limitation = info.document.limitation;
  const max =
    typeof limitation === 'object' && limitation !== null
      ? (limitation as Record<string, unknown>).max_limit
      : undefined;
  return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : null;
}

/**
 * Reads the history of kinds 0, 3 and 10002 from `relays`, `concurrency` at a time, resuming each
 * relay where its last committed page stopped (`backfill_progress`), and records the run
 * (`backfill_runs`): complete when every relay was read down to `since`, which the scheduler takes
 * as "first-seen dates are known from `since` on". A relay that fails is logged, counted and left
 * to the next run; the others go on.
 */
export async function runBackfill(o: BackfillOptions): Promise<BackfillResult> {
  const since = o.since ?? 0;
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const pageLimit = o.pageLimit ?? 500;
  const openTimeoutMs = o.openTimeoutMs ?? 10_000;
  const log = o.logger;
  const verifier = o.verifier ?? loadVerifier();
  const startedAt = new Date(now * 1000);
  const rows = o.relays.length
    ? await o.db
        .selectFrom('backfill_progress')
        .select(['relay_url', 'since', 'reached_at', 'done'])
        .where('relay_url', 'in', o.relays)
        .execute()
    : [];
  const byUrl = new Map(rows.map((r) => [r.relay_url, r]));
  const progress: BackfillProgress = {
    relayUrl: '',
    relays: o.relays.length,
    relaysFinished: 0,
    pages: 0,
    events: 0,
    rejected: 0,
    keysInserted: 0,
    keysMoved: 0,
    reachedAt: null,
  };
  const results: BackfillResult['relays'] = [];
  const queue = [...o.relays];

  const one = async (url: string) => {
    const start = startOf(byUrl.get(url), since, now);
    const relayLog = log.child({ relay: url });
    if (start.skip) {
      relayLog.info({ since }, 'backfill: relay already read down to since, skipped');
      results.push({ url, pages: 0, events: 0, rejected: {}, done: true, truncated: false, skipped: true });
      return;
    }
    const limit = await maxLimitOf(url, openTimeoutMs).catch((err: unknown) => {
      relayLog.info({ err }, 'backfill: no NIP-11 limits, using the default page size');
      return null;
    });
    const outcome = await readRelayHistory({
      url,
      since,
      until: start.until,
      pageLimit: limit === null ? pageLimit : Math.min(pageLimit, limit),
      maxEvents: o.maxEventsPerRelay ?? 100_000,
      pageIntervalMs: o.pageIntervalMs ?? 1000,
      openTimeoutMs,
      pageTimeoutMs: o.pageTimeoutMs ?? 30_000,
      verifier,
      writePage: (page: HistoryPage) => writeHistoryPage(o.db, page),
      onPage: (page: HistoryPage, r: PageResult) => {
        progress.relayUrl = url;
        progress.pages += 1;
        progress.events += page.events.length;
        progress.rejected += page.rejected;
        progress.keysInserted += r.inserted;
        progress.keysMoved += r.moved;
        progress.reachedAt = page.reachedAt;
        o.metrics?.page(page);
        relayLog.debug(
          { events: page.events.length, rejected: page.rejected, reachedAt: page.reachedAt },
          'backfill: page',
        );
        o.onPage?.(progress);
      },
    });
    results.push({ ...outcome, skipped: false });
    o.metrics?.rejections(url, outcome.rejected);
    if (outcome.error)
      relayLog.warn(
        { error: outcome.error, pages: outcome.pages, events: outcome.events, rejected: outcome.rejected },
        'backfill: relay stopped early, a rerun resumes it',
      );
    else
      relayLog.info(
        {
          pages: outcome.pages,
          events: outcome.events,
          rejected: outcome.rejected,
          done: outcome.done,
          truncated: outcome.truncated,
        },
        'backfill: relay read',
      );
  };

  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      await one(url);
      progress.relaysFinished += 1;
      progress.relayUrl = url;
      o.metrics?.state(relayStates(o.relays.length, results));
      o.onPage?.(progress);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 4, o.relays.length)) }, worker),
  );

  const relaysDone = results.filter((r) => r.done).length;
  const complete = o.relays.length > 0 && relaysDone === o.relays.length;
  await o.db
    .insertInto('backfill_runs')
    .values({
      since: new Date(since * 1000),
      started_at: startedAt,
      relays: o.relays.length,
      relays_done: relaysDone,
      complete,
    })
    .execute();
  log.info(
    {
      since,
      relays: o.relays.length,
      relaysDone,
      complete,
      events: progress.events,
      rejected: progress.rejected,
      keysInserted: progress.keysInserted,
      keysMoved: progress.keysMoved,
    },
    'backfill: run finished',
  );
  const result = { since, relays: results, complete, progress };
  o.metrics?.state(relayStates(o.relays.length, results), result);
  return result;
}

function relayStates(relays: number, results: BackfillResult['relays']) {
  const done = results.filter((r) => r.done).length;
  return { relays, done, stopped: results.length - done };
}
