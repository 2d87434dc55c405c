import { createHash } from 'node:crypto';
import type { Database, Databases } from '@nostr-info/shared/db';
import type { Logger } from '@nostr-info/shared/log';
import { METHODOLOGY_VERSION } from '@nostr-info/shared/stats';
import { sql, type Transaction } from 'kysely';
import { isDue } from './due.js';
import { readFollowGraph } from './follow-graph.js';
import { computeGraphStats } from './graph-stats.js';
import { writeGraphStats } from './graph-stats-store.js';
import { personalisedPageRank } from './page-rank.js';
import { loadTrustState, saveTrustState } from './trust-state.js';

/** An arbitrary constant naming the trust computation's transaction-scoped advisory lock. */
export const TRUST_LOCK_KEY = 7_466_736_947_111_016n;

/** Trusted keys written per statement (two array parameters each). */
const PER_STATEMENT = 50_000;

/** Settings of the trust computation (env `TRUST_*`). */
export interface TrustSettings {
  seeds: readonly string[];
  intervalSeconds: number;
  /** Longest time between two computations that read the whole graph; the ones between read changes. */
  fullIntervalSeconds: number;
  damping: number;
  iterations: number;
  minScore: number;
}

/** What one trust computation saw and found; null fields when it did not run. */
export interface TrustRunResult {
  ran: boolean;
  /** Why it did not run: no seeds, not due, or another run wrote first. */
  skipped?: 'no_seeds' | 'not_due' | 'locked';
  /** `full`: rounds started from the seeds and every trusted key written; `incremental`: rounds
   * started from the last computation's scores, and only the keys that entered or left written. */
  mode?: 'full' | 'incremental';
  lists?: number;
  edges?: number;
  trusted?: number;
  /** `trusted_pubkeys` rows inserted or updated, and deleted. */
  rowsWritten?: number;
  rowsDeleted?: number;
  iterations?: number;
  durationMs?: number;
  /** Where the time went: reading the graph and the saved scores, the rounds, writing results and state. */
  readMs?: number;
  computeMs?: number;
  writeMs?: number;
}

/**
 * The iteration stops when a round moves the scores by less than this in total. A personalised
 * PageRank contracts by `damping` a round, so every score is then within `damping / (1 - damping)`
 * times that of where endless rounds would take it: a hundredth of `minScore`.
 */
export function toleranceFor(settings: Pick<TrustSettings, 'damping' | 'minScore'>): number {
  if (settings.minScore <= 0) return 1e-12;
  return (settings.minScore * (1 - settings.damping)) / (100 * settings.damping);
}

/** Names the methodology and settings scores were computed under: another one means a full run. */
export function trustFingerprint(settings: TrustSettings): string {
  const { damping, iterations, minScore } = settings;
  const seeds = [...settings.seeds].sort();
  return createHash('sha256')
    .update(JSON.stringify({ v: METHODOLOGY_VERSION, seeds, damping, iterations, minScore }))
    .digest('hex');
}

/** What changes in `trusted_pubkeys`: keys to insert (id and score) and ids to delete. */
export interface TrustedChanges {
  put: { ids: Int32Array; scores: Float64Array };
  drop: Int32Array;
  /** Every trusted key, in id order, with its score. */
  trusted: { ids: Int32Array; scores: Float64Array };
}

/** True when `score` makes a key trusted. */
const isTrusted = (score: number, minScore: number) => score > 0 && score >= minScore;

/**
 * The trusted keys of `scores`, and what changes from the set the `previous` scores gave (null:
 * none was written, so every trusted key is put): keys that enter are put, keys that leave are
 * dropped. The scores of keys that stay are not rewritten.
 */
export function trustedChanges(
  scores: Float64Array,
  previous: Float64Array | null,
  minScore: number,
): TrustedChanges {
  const all: number[] = [];
  const put: number[] = [];
  const drop: number[] = [];
  for (let v = 0; v < scores.length; v++) {
    const now = isTrusted(scores[v] ?? 0, minScore);
    const was = previous !== null && isTrusted(previous[v] ?? 0, minScore);
    if (now) all.push(v);
    if (now && !was) put.push(v);
    else if (was && !now) drop.push(v);
  }
  if (previous)
    for (let v = scores.length; v < previous.length; v++)
      if (isTrusted(previous[v] ?? 0, minScore)) drop.push(v);
  const withScores = (ids: number[]) => {
    const typed = Int32Array.from(ids);
    return { ids: typed, scores: Float64Array.from(typed, (v) => scores[v] ?? 0) };
  };
  return { put: withScores(put), drop: Int32Array.from(drop), trusted: withScores(all) };
}

/**
 * Writes trusted keys, mapping ids to pubkeys in the statement itself: two array parameters per
 * chunk and no round trip to look the keys up, which is what keeps a million trusted keys to seconds.
 */
async function writeTrusted(
  trx: Transaction<Database>,
  put: { ids: Int32Array; scores: Float64Array },
  now: Date,
): Promise<void> {
  for (let i = 0; i < put.ids.length; i += PER_STATEMENT) {
    const ids = `{${put.ids.subarray(i, i + PER_STATEMENT).join(',')}}`;
    const scores = `{${put.scores.subarray(i, i + PER_STATEMENT).join(',')}}`;
    await sql`
      insert into trusted_pubkeys (pubkey, score, computed_at)
      select p.pubkey, t.score, ${now}
        from unnest(${ids}::integer[], ${scores}::double precision[]) as t(id, score)
        join pubkey_ids p on p.id = t.id`.execute(trx);
  }
}

async function dropTrusted(trx: Transaction<Database>, drop: Int32Array): Promise<void> {
  for (let i = 0; i < drop.length; i += PER_STATEMENT) {
    const ids = `{${drop.subarray(i, i + PER_STATEMENT).join(',')}}`;
    await sql`
      delete from trusted_pubkeys t using pubkey_ids p
       where p.id = any(${ids}::integer[]) and t.pubkey = p.pubkey`.execute(trx);
  }
}

async function tryTrustLock(trx: Transaction<Database>): Promise<boolean> {
  const { rows } = await sql<{
    got: boolean;
  }>`select pg_try_advisory_xact_lock(${TRUST_LOCK_KEY}) as got`.execute(trx);
  return rows[0]?.got === true;
}

/**
 * Recomputes the web of trust when it is due: a personalised PageRank from the seeds over the
 * stored follow graph (read whole from the reader), keys scoring at least `minScore` in
 * `trusted_pubkeys`. Incremental between full computations: the rounds start from the scores the
 * last computation saved (`trust_state`) and only keys that enter or leave the trusted set are
 * written. A full computation (every `fullIntervalSeconds`, and whenever there is no saved state
 * under the same methodology and settings) starts from the seeds and rewrites every row; both stop
 * at the same tolerance, so they agree to within a hundredth of `minScore`. Results and state are
 * written in one writer transaction of their own (never the statistics run's). Two schedulers due
 * at once both compute, and the advisory lock and a second look at `trust_runs` let only one
 * write. Seeds without a follow list or followers still count: they hold their share of the jump
 * back.
 */
export async function runTrustIfDue(
  dbs: Databases,
  settings: TrustSettings,
  { now, log }: { now: Date; log: Logger },
): Promise<TrustRunResult> {
  if (settings.seeds.length === 0) return { ran: false, skipped: 'no_seeds' };
  if (!(await isDue(dbs.reader, 'trust_runs', now, settings.intervalSeconds)))
    return { ran: false, skipped: 'not_due' };
  const t0 = performance.now();
  const fingerprint = trustFingerprint(settings);
  const fullAfter = new Date(now.getTime() - settings.fullIntervalSeconds * 1000);
  const previous = await loadTrustState(dbs.reader, fingerprint, fullAfter);
  const graph = await readFollowGraph(dbs.reader);
  const seedRows = await dbs.reader
    .selectFrom('pubkey_ids')
    .select('id')
    .where('pubkey', 'in', [...settings.seeds])
    .execute();
  const seeds = seedRows.map((r) => r.id).sort((a, b) => a - b);
  for (const s of seeds) if (s >= graph.size) graph.size = s + 1;
  const t1 = performance.now();
  const { scores, iterations } = personalisedPageRank(graph, seeds, {
    damping: settings.damping,
    iterations: settings.iterations,
    tolerance: toleranceFor(settings),
    start: previous?.scores,
  });
  const t2 = performance.now();
  const changes = trustedChanges(scores, previous?.scores ?? null, settings.minScore);
  const fullAt = previous?.fullAt ?? now;
  const graphStats = computeGraphStats(graph, graph.createdAt, changes.trusted, now);
  const wrote = await dbs.writer.transaction().execute(async (trx) => {
    // PGlite has one connection and one process: no other writer to keep out.
    const locked = dbs.kind === 'pglite' || (await tryTrustLock(trx));
    if (!locked || !(await isDue(trx, 'trust_runs', now, settings.intervalSeconds))) return false;
    if (!previous) await trx.deleteFrom('trusted_pubkeys').execute();
    await dropTrusted(trx, changes.drop);
    await writeTrusted(trx, changes.put, now);
    await saveTrustState(trx, { scores, fingerprint, fullAt }, now);
    await writeGraphStats(trx, graphStats, now);
    await trx
      .insertInto('trust_runs')
      .values({
        computed_at: now,
        methodology_version: METHODOLOGY_VERSION,
        seeds: seeds.length,
        lists: graph.followers.length,
        edges: graph.edges,
        trusted: changes.trusted.ids.length,
        iterations,
        duration_ms: Math.round(performance.now() - t0),
      })
      .execute();
    return true;
  });
  if (!wrote) return { ran: false, skipped: 'locked' };
  const result: TrustRunResult = {
    ran: true,
    mode: previous ? 'incremental' : 'full',
    lists: graph.followers.length,
    edges: graph.edges,
    trusted: changes.trusted.ids.length,
    rowsWritten: changes.put.ids.length,
    rowsDeleted: changes.drop.length,
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
  TRUST_FULL_INTERVAL_SECONDS: number;
  TRUST_DAMPING: number;
  TRUST_ITERATIONS: number;
  TRUST_MIN_SCORE: number;
}): TrustSettings {
  return {
    seeds: env.TRUST_SEEDS,
    intervalSeconds: env.TRUST_INTERVAL_SECONDS,
    fullIntervalSeconds: env.TRUST_FULL_INTERVAL_SECONDS,
    damping: env.TRUST_DAMPING,
    iterations: env.TRUST_ITERATIONS,
    minScore: env.TRUST_MIN_SCORE,
  };
}
