import type { Database } from '@nostr-info/shared/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { RangeWindow } from './range-window.js';
import { passBounds } from './window-bounds.js';

/** Distinct keys and articles of one range, from the first/last-seen tables. */
export interface DistinctCounts {
  active_users: number;
  new_users: number;
  articles: number;
  senders: number;
  receivers: number;
  client_users_total: number;
}

/** Distinct users of one client in one range. */
export interface ClientUsers {
  client: string;
  n: number;
}

/** What `readDistinct` reads for one range. */
export interface DistinctFigures {
  counts: DistinctCounts;
  /** Clients with at least one user in the range. */
  clientUsers: ClientUsers[];
}

const FIELDS = [
  'active_users',
  'new_users',
  'articles',
  'senders',
  'receivers',
  'client_users_total',
] as const;

/**
 * The distinct counts of every window at once: each first/last-seen table (one row per
 * pubkey, article, zap participant, client user) is read once over the widest window and its rows
 * counted per window, instead of once per range. A count per window is exactly that window's
 * `count(*) … where <column> >= start`.
 *
 * Distinct users over all clients count a 64-bit hash of the key, which sorts far faster than
 * the 64-character key; a collision among a million keys has odds near 1e-8. A key is in a window
 * when its latest row over all clients is: one sort keeps that row per key (`distinct on`), where
 * a hash aggregate of a few hundred thousand keys spills to disk and costs more.
 */
async function readDistinctCounts(
  db: Kysely<Database>,
  bounds: readonly RawBuilder<unknown>[],
  widest: RawBuilder<unknown>,
): Promise<DistinctCounts[]> {
  const per = (field: (typeof FIELDS)[number], where: (time: RawBuilder<unknown>) => RawBuilder<unknown>) =>
    sql.join(
      bounds.map(
        (time, i) => sql`count(*) filter (where ${where(time)})::bigint as ${sql.ref(`${field}_${i}`)}`,
      ),
    );
  // Three statements, so they run side by side on the reader's pool: at the end of a run they are
  // what the ranges wait for.
  const one = async (q: RawBuilder<Record<string, string | number>>) => (await q.execute(db)).rows[0] ?? {};
  const [users, articles, clientUsers] = await Promise.all([
    one(sql`
      select ${per('active_users', (t) => sql`last_seen_at >= ${t}`)},
             ${per('new_users', (t) => sql`first_seen_at >= ${t}`)}
        from pubkeys where last_seen_at >= ${widest} or first_seen_at >= ${widest}`),
    one(sql`
      select a.*, z.*
        from (select ${per('articles', (t) => sql`last_seen_at >= ${t}`)}
                from articles where last_seen_at >= ${widest}) a,
             (select ${per('senders', (t) => sql`role = 'sender' and last_seen_at >= ${t}`)},
                     ${per('receivers', (t) => sql`role = 'receiver' and last_seen_at >= ${t}`)}
                from zap_participants where last_seen_at >= ${widest}) z`),
    one(sql`
      select ${per('client_users_total', (t) => sql`last_seen_at >= ${t}`)}
        from (select distinct on (key) key, last_seen_at
                from (select hashtextextended(pubkey, 0) as key, last_seen_at
                        from client_users where last_seen_at >= ${widest}) u
               order by key, last_seen_at desc) k`),
  ]);
  const row = { ...users, ...articles, ...clientUsers };
  return bounds.map((_, i) => {
    const out = {} as DistinctCounts;
    for (const f of FIELDS) out[f] = Number(row[`${f}_${i}`] ?? 0);
    return out;
  });
}

/** Distinct users per client of every window, from one pass over `client_users`. */
async function readClientUsers(
  db: Kysely<Database>,
  bounds: readonly RawBuilder<unknown>[],
  widest: RawBuilder<unknown>,
): Promise<ClientUsers[][]> {
  const counts = bounds.map(
    (time, i) => sql`count(*) filter (where last_seen_at >= ${time})::bigint as ${sql.ref(`n_${i}`)}`,
  );
  const { rows } = await sql<Record<string, string | number>>`
    select client, ${sql.join(counts)} from client_users where last_seen_at >= ${widest}
     group by client`.execute(db);
  return bounds.map((_, i) =>
    rows.flatMap((r) => {
      const n = Number(r[`n_${i}`] ?? 0);
      return n > 0 ? [{ client: String(r.client), n }] : [];
    }),
  );
}

/**
 * The distinct figures of every window (`readDistinctCounts`, and users per client), in four
 * statements that run side by side however many windows there are.
 */
export async function readDistinct(
  db: Kysely<Database>,
  windows: readonly RangeWindow[],
): Promise<DistinctFigures[]> {
  if (windows.length === 0) return [];
  const { bounds, widest } = passBounds(windows);
  const [counts, clientUsers] = await Promise.all([
    readDistinctCounts(db, bounds, widest),
    readClientUsers(db, bounds, widest),
  ]);
  return windows.map((_, i) => ({ counts: counts[i] as DistinctCounts, clientUsers: clientUsers[i] ?? [] }));
}
