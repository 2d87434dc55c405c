import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';

const HOUR_MS = 3_600_000;

/**
 * Upper bounds (ms) of the latency buckets: every 10 ms up to 100 ms, then at most 25 % apart, so a
 * percentile read from them is within one bucket's width of the truth. A sample over the last
 * bound counts in the last bucket ("a minute or more"): a connect times out long before.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150, 175, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800,
  900, 1000, 1250, 1500, 1750, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 6000, 7000, 8000, 9000, 10_000,
  12_500, 15_000, 17_500, 20_000, 25_000, 30_000, 40_000, 50_000, 60_000,
];

/** `open`: connect → socket open; `eose`: REQ → EOSE. */
export type LatencyPhase = 'open' | 'eose';

/** The bound of the bucket a latency of `ms` falls into (the smallest bound ≥ `ms`). */
export function latencyBound(ms: number): number {
  let lo = 0;
  let hi = LATENCY_BOUNDS_MS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((LATENCY_BOUNDS_MS[mid] ?? 0) >= ms) hi = mid;
    else lo = mid + 1;
  }
  return LATENCY_BOUNDS_MS[lo] ?? 60_000;
}

/** Samples of one relay, phase and bucket in one UTC hour (`hour`: the hour's ISO start). */
export interface LatencyRow {
  hour: string;
  relayId: number;
  phase: LatencyPhase;
  leMs: number;
  samples: number;
}

const keyOf = (r: Omit<LatencyRow, 'samples'>) => `${r.hour}|${r.relayId}|${r.phase}|${r.leMs}`;

/**
 * Latency histograms per relay and hour, held in memory between flushes: a few rows per relay
 * that connected in the hour (relays that stay connected record nothing). `take` hands the rows
 * to a flush; `restore` puts back the rows of a flush that did not land.
 */
export class LatencyHistograms {
  private rows = new Map<string, LatencyRow>();

  /** Counts one latency of `relayId` measured at `at` (ms since the epoch). */
  record(relayId: number, phase: LatencyPhase, ms: number, at = Date.now()): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const hour = new Date(Math.floor(at / HOUR_MS) * HOUR_MS).toISOString();
    this.add({ hour, relayId, phase, leMs: latencyBound(ms), samples: 1 });
  }

  /** Rows held. */
  get size(): number {
    return this.rows.size;
  }

  /** The rows held (a copy; they stay held). */
  held(): LatencyRow[] {
    return [...this.rows.values()].map((r) => ({ ...r }));
  }

  /** The rows held, which are then no longer held. */
  take(): LatencyRow[] {
    const rows = [...this.rows.values()];
    this.rows = new Map();
    return rows;
  }

  /** Adds rows back (those of a flush that did not land) to what was recorded since. */
  restore(rows: readonly LatencyRow[]): void {
    for (const r of rows) this.add({ ...r });
  }

  private add(row: LatencyRow): void {
    const key = keyOf(row);
    const held = this.rows.get(key);
    if (held) held.samples += row.samples;
    else this.rows.set(key, row);
  }
}

/** Five parameters a row; far below Postgres's 65,535 per statement. */
const CHUNK_ROWS = 5000;

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Writes histogram rows as additive upserts into `relay_latency_hourly` and `relay_latency_daily`
 * (run inside the flush's transaction, so they land with the rest of the flush or not at all).
 * Keys are sorted (concurrent flushes lock rows in one order) and each key is sent once a
 * statement: rows of one day are summed first.
 */
export async function writeLatencyRows(db: Kysely<Database>, rows: readonly LatencyRow[]): Promise<void> {
  if (rows.length === 0) return;
  const hourly = new Map<string, LatencyRow & { key: string }>();
  const daily = new Map<string, LatencyRow & { key: string }>();
  for (const r of rows) {
    for (const [map, bucket] of [
      [hourly, r.hour],
      [daily, r.hour.slice(0, 10)],
    ] as const) {
      const key = keyOf({ ...r, hour: bucket });
      const held = map.get(key);
      if (held) held.samples += r.samples;
      else map.set(key, { ...r, hour: bucket, key });
    }
  }
  const upsert = async (
    table: 'relay_latency_hourly' | 'relay_latency_daily',
    list: (LatencyRow & { key: string })[],
  ) => {
    const bucket = table === 'relay_latency_hourly' ? sql.ref('hour') : sql.ref('day');
    const cast = table === 'relay_latency_hourly' ? sql`timestamptz` : sql`date`;
    list.sort(byKey);
    for (let i = 0; i < list.length; i += CHUNK_ROWS) {
      const values = sql.join(
        list
          .slice(i, i + CHUNK_ROWS)
          .map(
            (r) =>
              sql`(${r.hour}::${cast}, ${r.relayId}::integer, ${r.phase}, ${r.leMs}::integer, ${r.samples}::bigint)`,
          ),
      );
      await sql`
        insert into ${sql.table(table)} as t (${bucket}, relay_id, phase, le_ms, samples)
        values ${values}
        on conflict (${bucket}, relay_id, phase, le_ms) do update set samples = t.samples + excluded.samples`.execute(
        db,
      );
    }
  };
  await upsert('relay_latency_hourly', [...hourly.values()]);
  await upsert('relay_latency_daily', [...daily.values()]);
}
