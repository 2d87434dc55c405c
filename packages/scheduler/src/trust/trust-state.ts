import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql, type Transaction } from 'kysely';

/** Bytes per stored part: well under PostgreSQL's 1 GB value limit, and a bounded transient copy. */
const PART_BYTES = 16 * 1024 * 1024;

/**
 * What one trust computation leaves for the next: its scores by node id (`pubkey_ids` ids are
 * stable), so the next one starts its rounds from them and writes only the keys that enter or
 * leave the trusted set. The graph is not kept: reading it whole from `follow_lists` is faster than
 * loading a saved copy of it (docs/benchmarks.md, web of trust).
 */
export interface TrustState {
  scores: Float64Array;
  /** Methodology version and settings the scores were computed under. */
  fingerprint: string;
  /** When the last full computation (rounds started from the seeds, every row written) ran. */
  fullAt: Date;
}

/**
 * Saves `state` in the writer transaction that writes the trusted keys it matches: the saved
 * scores always say which keys `trusted_pubkeys` holds.
 */
export async function saveTrustState(
  trx: Transaction<Database>,
  state: TrustState,
  now: Date,
): Promise<void> {
  await trx.deleteFrom('trust_state_parts').execute();
  await trx.deleteFrom('trust_state').execute();
  const { scores } = state;
  const bytes = new Uint8Array(scores.buffer, scores.byteOffset, scores.byteLength);
  // At least one part, so an empty vector is told from a missing one.
  for (let part = 0, at = 0; part === 0 || at < bytes.length; part++, at += PART_BYTES)
    await trx
      .insertInto('trust_state_parts')
      .values({ name: 'scores', part, data: bytes.subarray(at, at + PART_BYTES) })
      .execute();
  await trx
    .insertInto('trust_state')
    .values({
      id: 1,
      fingerprint: state.fingerprint,
      full_at: state.fullAt,
      saved_at: now,
      size: scores.length,
    })
    .execute();
}

/**
 * The state the last computation saved, from `db` (the reader), or null when there is none, it was
 * computed under another `fingerprint`, its last full computation ran at or before `fullAfter`, or
 * its parts do not add up: a full computation follows.
 */
export async function loadTrustState(
  db: Kysely<Database>,
  fingerprint: string,
  fullAfter: Date,
): Promise<TrustState | null> {
  const head = await db.selectFrom('trust_state').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!head || head.fingerprint !== fingerprint || new Date(head.full_at) <= fullAfter) return null;
  const { rows } = await sql<{ data: Uint8Array }>`
    select data from trust_state_parts where name = 'scores' order by part`.execute(db);
  const total = rows.reduce((n, r) => n + r.data.length, 0);
  if (rows.length === 0 || total !== head.size * 8) return null;
  const scores = new Float64Array(head.size);
  const into = new Uint8Array(scores.buffer);
  let at = 0;
  for (const r of rows) {
    into.set(r.data, at);
    at += r.data.length;
  }
  return { scores, fingerprint, fullAt: new Date(head.full_at) };
}
