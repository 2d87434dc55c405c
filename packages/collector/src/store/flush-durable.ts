import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { CounterBuffer } from '../aggregate/counter-buffer.js';
import {
  type CountedEvent,
  type CountedLog,
  idKey,
  packCharged,
  packCredited,
} from '../aggregate/durable-ledger.js';
import { beatUnlessFenced } from '../shard/instances.js';
import { chunkByWeight } from './chunks.js';

type Tx = Kysely<Database>;

/** Who writes the durable state, and how long it is kept. */
export interface DurableWrite {
  /** This process's instance token (`collector_instances`). */
  token: string;
  /** Seconds of created_at the durable ids cover (see `DURABLE_WINDOW_SECONDS`). */
  windowSeconds: number;
  /**
   * Takes the events of this flush that were already counted (by an earlier flush of this or
   * another process) out of the buffer's counts, and out of its ledger.
   */
  recount: (buffer: CounterBuffer, repeated: CountedEvent[]) => void;
}

/**
 * Raised in a flush of an instance that was fenced (taken for dead, its relays taken over): its
 * flush is refused, not merged, and the process must stop.
 */
export class FencedError extends Error {
  override readonly name = 'FencedError';
}

/** Ids per statement (two array parameters each). */
const CHUNK = 20_000;
/** Bytes of packed ids per `relay_credited` statement (a relay's row is never split). */
const CREDITED_BYTES = 256 * 1024;

/**
 * The durable half of a flush, in its transaction: checks this instance is not fenced (and beats
 * its heart), records the events counted network-wide (those already recorded are handed to
 * `recount`, so re-delivered events are never counted twice), the ids credited per relay, and
 * each relay's resume mark.
 */
export async function flushDurable(tx: Tx, buffer: CounterBuffer, write: DurableWrite): Promise<void> {
  if (!(await beatUnlessFenced(tx, write.token)))
    throw new FencedError('this collector instance was fenced: its relays were taken over');

  const ledger = buffer.durable;
  const nowSec = Math.floor(Date.now() / 1000);
  const maxHorizon = nowSec + write.windowSeconds;
  if (ledger.counted.length > 0) {
    const repeated = await insertCounted(tx, ledger.counted, maxHorizon);
    if (repeated.length > 0) write.recount(buffer, repeated);
  }

  const relayIds = new Set([...ledger.credited.keys(), ...ledger.charged.keys()]);
  const credited = [...relayIds].flatMap((relayId) => {
    const c = ledger.credited.get(relayId);
    const charged = ledger.charged.get(relayId);
    if (!c?.words.length && !charged?.length) return [];
    return [
      {
        relay_id: relayId,
        // A bad copy has no trusted created_at: its charge is kept a window from now.
        horizon_sec: Math.min(Math.max(c?.newest ?? 0, charged?.length ? nowSec : 0), maxHorizon),
        ids: packCredited(c?.words.view() ?? []),
        charged: charged?.length ? packCharged(charged.view()) : null,
      },
    ];
  });
  const weight = (row: (typeof credited)[number]) => row.ids.length + (row.charged?.length ?? 0);
  for (const chunk of chunkByWeight(credited, weight, CREDITED_BYTES, 500)) {
    await tx.insertInto('relay_credited').values(chunk).execute();
  }

  const marks = [...ledger.resume].sort(([a], [b]) => a - b);
  for (let i = 0; i < marks.length; i += 1000) {
    await tx
      .insertInto('relay_resume')
      .values(
        marks.slice(i, i + 1000).map(([relayId, m]) => ({
          relay_id: relayId,
          heard_sec: m.heardSec,
          floor_sec: m.floorSec,
          holder: write.token,
        })),
      )
      .onConflict((oc) =>
        oc.column('relay_id').doUpdateSet({
          heard_sec: sql`excluded.heard_sec`,
          floor_sec: sql`excluded.floor_sec`,
          holder: sql`excluded.holder`,
          updated_at: sql`now()`,
        }),
      )
      .execute();
  }
}

/**
 * Inserts the counted ids; returns the events whose id was already there. Entries are sorted by
 * key (`keyOrder`) and sent as two words each, so a buffer of tens of thousands of events
 * makes no string or big integer per entry, and the database answers with the few repeats, not
 * every inserted key. Keys go in ascending order (signed, as the column sorts), across chunks and
 * within them, so two replicas inserting overlapping keys lock them in the same order.
 */
async function insertCounted(tx: Tx, counted: CountedLog, maxHorizon: number): Promise<CountedEvent[]> {
  // Signed order, as the database orders the keys: chunks and the rows inside them follow one order.
  const order = counted.keyOrder();
  /** The first entry of each key, in key order. */
  const firsts: number[] = [];
  const repeatedAt: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    const prev = k > 0 ? (order[k - 1] as number) : -1;
    // The same id twice in one buffer (a claim taken over from a dead holder raced a live one):
    // the first is new or not, every later one is a repeat.
    if (prev >= 0 && counted.keyHi(prev) === counted.keyHi(i) && counted.keyLo(prev) === counted.keyLo(i))
      repeatedAt.push(i);
    else firsts.push(i);
  }
  for (let c = 0; c < firsts.length; c += CHUNK) {
    const chunk = firsts.slice(c, c + CHUNK);
    const { rows } = await sql<{ n: number }>`
      with k as (
        select ((hi << 32) | lo) as id, h, n
          from unnest(${chunk.map((i) => counted.keyHi(i))}::bigint[],
                      ${chunk.map((i) => counted.keyLo(i))}::bigint[],
                      ${chunk.map((i) => Math.min(counted.horizonAt(i), maxHorizon))}::bigint[])
               with ordinality as u(hi, lo, h, n)),
      ins as (
        insert into counted_events (id, horizon_sec)
        select id, h from k order by id
        on conflict (id) do nothing returning id)
      select n::int as n from k where not exists (select 1 from ins where ins.id = k.id)`.execute(tx);
    for (const r of rows) repeatedAt.push(chunk[Number(r.n) - 1] as number);
  }
  return repeatedAt.map((i) => counted.at(i));
}

/** Deletes durable ids older than the window and instances gone for a day. */
export async function pruneDurable(db: Kysely<Database>, windowSeconds: number): Promise<void> {
  const below = Math.floor(Date.now() / 1000) - windowSeconds;
  await db.deleteFrom('counted_events').where('horizon_sec', '<', below).execute();
  await db.deleteFrom('relay_credited').where('horizon_sec', '<', below).execute();
  await db
    .deleteFrom('collector_instances')
    .where('beat_at', '<', sql<Date>`now() - interval '1 day'`)
    .execute();
}

/** The ids among `ids` (hex) that `counted_events` holds (committed as counted). */
export async function committedIds(db: Kysely<Database>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const keys = new Map(ids.map((id) => [idKey(id), id]));
  const rows = await sql<{ id: string }>`
    select id::text as id from counted_events where id = any(${[...keys.keys()]}::bigint[])`.execute(db);
  return new Set(rows.rows.map((r) => keys.get(String(r.id)) as string));
}
