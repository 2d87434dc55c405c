import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { normalizeRelayUrl } from '../relay/normalize-url.js';

/** What relays accepted from a test stream (relay-sim's `StreamTruth`). */
export interface AcceptedTruth {
  byKind: Map<number, number>;
  perRelay: Map<string, number>;
  authors: Set<string>;
}

/** The figures a steady stream's truth gives: unique events by kind, copies per relay, authors. */
export interface StreamFigures {
  byKind: Record<string, number>;
  perRelay: Record<string, number>;
  authors: number;
}

/** The truth in the shape `writtenFigures` reads. */
export function truthOf(truth: AcceptedTruth): StreamFigures {
  return {
    byKind: Object.fromEntries([...truth.byKind].map(([k, n]) => [String(k), n])),
    perRelay: Object.fromEntries([...truth.perRelay].map(([url, n]) => [normalizeRelayUrl(url), n])),
    authors: truth.authors.size,
  };
}

/** What the collectors wrote: network-unique events by kind, valid copies per relay, active pubkeys. */
export async function writtenFigures(db: Kysely<Database>, urls: readonly string[]): Promise<StreamFigures> {
  const byKind = await db
    .selectFrom('network_events_hourly')
    .select(['kind', sql<number>`sum(events)::int`.as('n')])
    .groupBy('kind')
    .execute();
  const perRelay = await db
    .selectFrom('relays as r')
    .leftJoin('events_aggregated as e', 'e.relay_id', 'r.id')
    .select(['r.url', sql<number>`coalesce(sum(e.events), 0)::int`.as('n')])
    .where(
      'r.url',
      'in',
      urls.map((u) => normalizeRelayUrl(u)),
    )
    .groupBy('r.url')
    .execute();
  const authors = await db
    .selectFrom('pubkeys')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return {
    byKind: Object.fromEntries(byKind.filter((r) => r.n !== 0).map((r) => [String(r.kind), r.n])),
    perRelay: Object.fromEntries(perRelay.map((r) => [r.url, r.n])),
    authors: authors.n,
  };
}
