import type { Database, Databases } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { METHODOLOGY_VERSION } from '@nostr-info/shared/stats';
import { type Kysely, sql, type Transaction } from 'kysely';
import { readFollowGraph } from './follow-graph.js';
import { personalisedPageRank } from './page-rank.js';

/** An arbitrary constant naming the trust computation's transaction-scoped advisory lock. */
export const TRUST_LOCK_KEY = 7_466_736_947_111_016n;

/** Trusted keys written per statement (two array parameters each). */
const PER_STATEMENT = 50_000;

/** Settings of the trust computation (env `TRUST_*`). */
export interface TrustSettings {
  seeds: readonly string[];
  intervalSeconds: number;
  damping: number;
  iterations: number;
  minScore: number;
}

/** What one trust computation saw and found; null fields when it did not run. */
export interface TrustRunResult {
  ran: boolean;
  /** Why it did not run: no seeds, not due, or another run wrote first. */
  skipped?: 'no_seeds' | 'not_due' | 'locked';
  lists?: number;
  edges?: number;
  trusted?: number;
  iterations?: number;
  durationMs?: number;
  /** Where the time went: reading the graph, the iteration, looking up and writing the trusted keys. */
  readMs?: number;
  computeMs?: number;
  writeMs?: number;
}

/** The ids scoring at least `minScore` (and above 0), in id order, with their scores. */
function trustedOf(scores: Float64Array, minScore: number): { ids: Int32Array; scores: Float64Array } {
  let n = 0;
  for (let v = 0; v < scores.length; v++) if ((scores[v] ?? 0) > 0 && (scores[v] ?? 0) >= minScore) n++;
  const ids = new Int32Array(n);
  const kept = new Float64Array(n);
  n = 0;
  for (let v = 0; v < scores.length; v++) {
    const score = scores[v] ?? 0;
    if (score > 0 && score >= minScore) {
      ids[n] = v;
      kept[n++] = score;
    }
  }
  return { ids, scores: kept };
}

/**
 * Inserts the trusted keys, mapping ids to pubkeys in the statement itself: two array parameters per
 * chunk and no round trip to look the keys up, which is what keeps a million trusted keys to seconds.
 */
async function writeTrusted(
  trx: Transaction<Database>,
  trusted: { ids: Int32Array; scores: Float64Array },
  now: Date,
): Promise<void> {
  for (let i = 0; i < trusted.ids.length; i += PER_STATEMENT) {
    const ids = `{${trusted.ids.subarray(i, i + PER_STATEMENT).join(',')}}`;
    const scores = `{${trusted.scores.subarray(i, i + PER_STATEMENT).join(',')}}`;
    await sql`
      insert into trusted_pubkeys (pubkey, score, computed_at)
      select p.pubkey, t.score, ${now}
        from unnest(${ids}::integer[], ${scores}::double precision[]) as t(id, score)
        join pubkey_ids p on p.id = t.id`.execute(trx);
  }
}

/** True when no trust computation finished within `intervalSeconds` before `now`. */
async function due(db: Kysely<Database>, now: Date, intervalSeconds: number): Promise<boolean> {
  const last = await db
    .selectFrom('trust_runs')
    .select((eb) => eb.fn.max('computed_at').as('at'))
    .executeTakeFirst();
  const at = last?.at ? new Date(last.at).getTime() : null;
  // A second of slack: runs on a 5-minute clock land a few milliseconds early or late.
  return at === null || now.getTime() - at >= intervalSeconds * 1000 - 1000;
}

async function tryTrustLock(trx: Transaction<Database>): Promise<boolean> {
  const { rows } = await sql<{
    got: boolean;
  }>`select pg_try_advisory_xact_lock(${TRUST_LOCK_KEY}) as got`.execute(trx);
  return rows[0]?.got === true;
}

/**
 * Recomputes the web of trust when it is due: reads the follow graph from the reader, runs a
 * personalised PageRank from the seeds, and replaces `trusted_pubkeys` with the keys scoring at
 * least `minScore`, in a writer transaction of its own (never the statistics run's). Two
 * schedulers due at once both compute, and the advisory lock and a second look at `trust_runs`
 * let only one write. Seeds without a follow list or followers still count: they hold their
 * share of the jump back.
 */
export async function runTrustIfDue(
  dbs: Databases,
  settings: TrustSettings,
  { now, log }: { now: Date; log: Logger },
): Promise<TrustRunResult> {
  if (settings.seeds.length === 0) return { ran: false, skipped: 'no_seeds' };
  if (!(await due(dbs.reader, now, settings.intervalSeconds))) return { ran: false, skipped: 'not_due' };
  const t0 = performance.now();
  const graph = await readFollowGraph(dbs.reader);
  const seedRows = await dbs.reader
    .selectFrom('pubkey_ids')
    .select('id')
    .where('pubkey', 'in', [...settings.seeds])
    .execute();
  const seeds = seedRows.map((r) => r.id).sort((a, b) => a - b);
  for (const s of seeds) if (s >= graph.size) graph.size = s + 1;
  const t1 = performance.now();
  const { scores, iterations } = personalisedPageRank(graph, seeds, settings);
  const t2 = performance.now();
  const trusted = trustedOf(scores, settings.minScore);
  const wrote = await dbs.writer.transaction().execute(async (trx) => {
    // PGlite has one connection and one process: no other writer to keep out.
    const locked = dbs.kind === 'pglite' || (await tryTrustLock(trx));
    if (!locked || !(await due(trx, now, settings.intervalSeconds))) return false;
    await trx.deleteFrom('trusted_pubkeys').execute();
    await writeTrusted(trx, trusted, now);
    await trx
      .insertInto('trust_runs')
      .values({
        computed_at: now,
        methodology_version: METHODOLOGY_VERSION,
        seeds: seeds.length,
        lists: graph.followers.length,
        edges: graph.edges,
        trusted: trusted.ids.length,
        iterations,
        duration_ms: Math.round(performance.now() - t0),
      })
      .execute();
    return true;
  });
  if (!wrote) return { ran: false, skipped: 'locked' };
  const result = {
    ran: true,
    lists: graph.followers.length,
    edges: graph.edges,
    trusted: trusted.ids.length,
    iterations,
    durationMs: Math.round(performance.now() - t0),
    readMs: Math.round(t1 - t0),
    computeMs: Math.round(t2 - t1),
    writeMs: Math.round(performance.now() - t2),
  };
  log.info(result, 'web of trust computed');
  return result;
}

/** The trust settings of a scheduler environment. */
export function trustSettings(env: {
  TRUST_SEEDS: readonly string[];
  TRUST_INTERVAL_SECONDS: number;
  TRUST_DAMPING: number;
  TRUST_ITERATIONS: number;
  TRUST_MIN_SCORE: number;
}): TrustSettings {
  return {
    seeds: env.TRUST_SEEDS,
    intervalSeconds: env.TRUST_INTERVAL_SECONDS,
    damping: env.TRUST_DAMPING,
    iterations: env.TRUST_ITERATIONS,
    minScore: env.TRUST_MIN_SCORE,
  };
}
