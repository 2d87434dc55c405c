import { createLogger } from '@nostr-info/shared/log';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalisedPageRank } from '../src/trust/page-rank.js';
import { runTrustIfDue, type TrustSettings, trustFingerprint } from '../src/trust/run-trust.js';
import { loadTrustState } from '../src/trust/trust-state.js';
import { type Backend, createTestContext, type TestContext } from './context.js';
import { NOW } from './fixture.js';

// A random follow graph (fixed seed) of 400 keys, trust computed in full, then 12 lists replaced and
// 5 keys' first lists added: the incremental computation starts from the saved scores, writes only
// the keys that enter or leave, and ends with the trusted set a computation from scratch finds.

const KEYS = 400;
const key = (n: number) => n.toString(16).padStart(64, '0');
const log = createLogger({ level: 'silent' });

/** A deterministic pseudo-random source (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A list for `follower`: 2–14 followees, popular (low) ids more likely, sorted, without itself. */
function listOf(follower: number, next: () => number): number[] {
  const size = 2 + Math.floor(next() * 13);
  const out = new Set<number>();
  while (out.size < size) {
    const v = 1 + Math.floor(KEYS * next() ** 2);
    if (v !== follower) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

const SETTINGS: TrustSettings = {
  seeds: [key(1), key(2), key(3)],
  intervalSeconds: 3600,
  fullIntervalSeconds: 86_400,
  damping: 0.85,
  iterations: 200,
  minScore: 1 / (100 * 120),
};
const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000);

/** Trusted keys and scores as stored. */
async function stored(t: TestContext): Promise<Map<number, number>> {
  const rows = await t.dbs.reader.selectFrom('trusted_pubkeys').select(['pubkey', 'score']).execute();
  return new Map(rows.map((r) => [Number.parseInt(r.pubkey, 16), r.score]));
}

/** Scores computed from scratch from what `follow_lists` holds now. */
async function fromScratch(t: TestContext): Promise<Float64Array> {
  const rows = await t.dbs.reader
    .selectFrom('follow_lists')
    .select(['follower_id', 'followees'])
    .orderBy('follower_id')
    .execute();
  const offsets = [0];
  const followees: number[] = [];
  for (const r of rows) {
    followees.push(...r.followees);
    offsets.push(followees.length);
  }
  const graph = {
    followers: Int32Array.from(rows, (r) => r.follower_id),
    offsets: Int32Array.from(offsets),
    followees: Int32Array.from(followees),
    size: KEYS + 1,
  };
  return personalisedPageRank(graph, [1, 2, 3], { ...SETTINGS, tolerance: 1e-15 }).scores;
}

describe.each<Backend>(['postgres', 'pglite'])('incremental web of trust on %s', (backend) => {
  let t: TestContext;
  const next = random(7);

  beforeAll(async () => {
    t = await createTestContext(backend);
    const db = t.dbs.writer;
    await db
      .insertInto('pubkey_ids')
      .values(Array.from({ length: KEYS }, (_, i) => ({ id: i + 1, pubkey: key(i + 1) })))
      .execute();
    // Lists of keys 1–390; 391–400 have none yet.
    await db
      .insertInto('follow_lists')
      .values(
        Array.from({ length: 390 }, (_, i) => ({
          follower_id: i + 1,
          event_id: key(i + 1),
          created_at: minutes(-24 * 60),
          followees: listOf(i + 1, next),
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('computes in full when there is no saved state, and saves one', async () => {
    const first = await runTrustIfDue(t.dbs, SETTINGS, { now: minutes(0), log });
    expect(first).toMatchObject({ ran: true, mode: 'full', lists: 390 });
    expect(first.rowsWritten).toBe(first.trusted);
    const head = await t.dbs.reader.selectFrom('trust_state').selectAll().executeTakeFirstOrThrow();
    expect(head.size).toBeGreaterThan(390);
    expect(head.full_at).toEqual(minutes(0));
    const exact = await fromScratch(t);
    const trusted = await stored(t);
    expect(trusted.size).toBe(first.trusted);
    for (let v = 1; v <= KEYS; v++) {
      // Within the documented hundredth of the threshold of the exact scores.
      const score = trusted.get(v);
      if (score !== undefined)
        expect(Math.abs(score - (exact[v] ?? 0))).toBeLessThan(SETTINGS.minScore / 100);
      if (Math.abs((exact[v] ?? 0) - SETTINGS.minScore) > SETTINGS.minScore / 100)
        expect(trusted.has(v)).toBe((exact[v] ?? 0) >= SETTINGS.minScore);
    }
  });

  it('starts from the saved scores, writes only the keys that enter or leave, and agrees with a computation from scratch', async () => {
    const db = t.dbs.writer;
    // Twelve keys replace their lists; five keys publish their first one.
    const replaced = Array.from({ length: 12 }, (_, i) => 1 + i * 31);
    for (const v of replaced)
      await db
        .updateTable('follow_lists')
        .set({ followees: listOf(v, next), created_at: minutes(30), updated_at: sql`now()` })
        .where('follower_id', '=', v)
        .execute();
    await db
      .insertInto('follow_lists')
      .values(
        [391, 392, 393, 394, 395].map((v) => ({
          follower_id: v,
          event_id: key(v),
          created_at: minutes(30),
          followees: [1, 2, 400],
        })),
      )
      .execute();
    const before = await stored(t);
    const second = await runTrustIfDue(t.dbs, SETTINGS, { now: minutes(61), log });
    expect(second).toMatchObject({ ran: true, mode: 'incremental', lists: 395 });
    const exact = await fromScratch(t);
    const trusted = await stored(t);
    expect(trusted.size).toBe(second.trusted);
    // Key 400 is followed by the seeds now: it enters.
    expect(trusted.has(400)).toBe(true);
    // The scores it saved are the exact ones, within a hundredth of the threshold.
    const saved = await loadTrustState(t.dbs.reader, trustFingerprint(SETTINGS), minutes(-1));
    expect(saved?.scores.length).toBeGreaterThan(400);
    for (let v = 1; v <= KEYS; v++)
      expect(Math.abs((saved?.scores[v] ?? 0) - (exact[v] ?? 0))).toBeLessThan(SETTINGS.minScore / 100);
    for (let v = 1; v <= KEYS; v++)
      if (Math.abs((exact[v] ?? 0) - SETTINGS.minScore) > SETTINGS.minScore / 100)
        expect(trusted.has(v)).toBe((exact[v] ?? 0) >= SETTINGS.minScore);
    // Only keys that entered or left were written; the others keep their rows and scores.
    const entered = [...trusted.keys()].filter((v) => !before.has(v));
    const left = [...before.keys()].filter((v) => !trusted.has(v));
    expect(entered.length + left.length).toBeGreaterThan(0);
    expect(second.rowsWritten).toBe(entered.length);
    expect(second.rowsDeleted).toBe(left.length);
    for (const [v, score] of trusted) if (before.has(v)) expect(score).toBe(before.get(v));
    // Fewer rounds than from the seeds.
    const runs = await t.dbs.reader.selectFrom('trust_runs').select('iterations').orderBy('id').execute();
    expect(runs).toHaveLength(2);
    expect(runs[1]?.iterations).toBeLessThan(runs[0]?.iterations ?? 0);
  });

  it('computes in full again when the state is lost, the settings change or a day has passed', async () => {
    await t.dbs.writer.deleteFrom('trust_state').execute();
    expect(await runTrustIfDue(t.dbs, SETTINGS, { now: minutes(122), log })).toMatchObject({ mode: 'full' });
    expect(await runTrustIfDue(t.dbs, SETTINGS, { now: minutes(183), log })).toMatchObject({
      mode: 'incremental',
      rowsWritten: 0,
      rowsDeleted: 0,
    });
    const changed = { ...SETTINGS, damping: 0.8 };
    expect(await runTrustIfDue(t.dbs, changed, { now: minutes(244), log })).toMatchObject({ mode: 'full' });
    expect(await runTrustIfDue(t.dbs, changed, { now: minutes(244 + 24 * 60), log })).toMatchObject({
      mode: 'full',
    });
  });
});
