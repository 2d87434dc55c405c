import { readFileSync } from 'node:fs';
import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';

/** Linux's USER_HZ: /proc reports CPU time in hundredths of a second. */
const MS_PER_TICK = 10;

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // Ended meanwhile, or the database runs on another machine.
  }
}

/** A reading of the CPU time (ms) spent by PostgreSQL for one database. */
export interface CpuReading {
  /** Per backend connected to the database. */
  backends: Map<number, number>;
  /** Of the postmaster's children that ended (parallel workers, closed connections), any database. */
  ended: number;
}

/**
 * CPU time of every backend connected to `db`'s database, and of the postmaster's ended children:
 * parallel workers end with their statement, and their time is only kept there. That part counts
 * every database's, so the reading is exact only while nothing else runs on the server.
 */
export async function backendCpu(db: Kysely<Database>): Promise<CpuReading> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db);
  const backends = new Map<number, number>();
  let postmaster: number | null = null;
  for (const { pid } of rows) {
    const f = statFields(pid);
    if (!f) continue;
    // After the name: state, ppid, …; utime and stime are the 12th and 13th.
    postmaster ??= Number(f[1]);
    backends.set(pid, (Number(f[11]) + Number(f[12])) * MS_PER_TICK);
  }
  const p = postmaster === null ? null : statFields(postmaster);
  // cutime and cstime: the 14th and 15th.
  const ended = p ? (Number(p[13]) + Number(p[14])) * MS_PER_TICK : 0;
  return { backends, ended };
}

/** CPU time (ms) spent between two `backendCpu` readings. */
export function cpuBetween(before: CpuReading, after: CpuReading): number {
  let ms = after.ended - before.ended;
  for (const [pid, t] of after.backends) ms += t - (before.backends.get(pid) ?? 0);
  return ms;
}
