import type { GroundTruth } from '@nostr-info/relay-sim';
import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';

/** Valid and invalid copies the collector wrote per relay URL. */
export function relayCopies(db: Kysely<Database>) {
  return db
    .selectFrom('events_aggregated as e')
    .innerJoin('relays as r', 'r.id', 'e.relay_id')
    .select([
      'r.url',
      sql<number>`sum(e.events)::int`.as('valid'),
      sql<number>`sum(e.invalid)::int`.as('invalid'),
    ])
    .groupBy('r.url')
    .execute();
}

/** What the collector wrote, in the shape of the simulator's ground truth. */
export async function dbFigures(db: Kysely<Database>) {
  const perRelay = await relayCopies(db);
  const byKind = await db
    .selectFrom('network_events_daily')
    .select(['kind', sql<number>`sum(events)::int`.as('n')])
    .groupBy('kind')
    .execute();
  const zapSums = await db
    .selectFrom('zaps_daily')
    .select([
      sql<number>`coalesce(sum(zaps), 0)::int`.as('zaps'),
      sql<number>`coalesce(sum(sats) * 1000 + sum(extra_msats), 0)::bigint`.as('msats'),
    ])
    .executeTakeFirstOrThrow();
  // Receipts not counted, by NIP-57 reason; unverified ones with their amount.
  const rejections = await db
    .selectFrom('zap_rejections_daily')
    .select([
      'reason',
      sql<number>`sum(receipts)::int`.as('n'),
      sql<number>`sum(sats) * 1000 + sum(extra_msats)`.as('msats'),
    ])
    .groupBy('reason')
    .execute();
  const zaps = {
    ...zapSums,
    rejected: Object.fromEntries(rejections.filter((r) => r.n > 0).map((r) => [r.reason, r.n])),
    unverifiedMsats: Number(rejections.find((r) => r.reason === 'unverified')?.msats ?? 0),
  };
  const count = async (table: 'pubkeys' | 'articles') =>
    Number(
      (await db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n,
    );
  const clients = await db
    .selectFrom('clients')
    .select(['client', sql<number>`sum(events)::int`.as('n')])
    .groupBy('client')
    .execute();
  const senders = await db
    .selectFrom('zap_participants')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('role', '=', 'sender')
    .executeTakeFirstOrThrow();
  const replaceable = await db
    .selectFrom('replaceable_events')
    .select(['kind', 'pubkey', 'event_id'])
    .execute();
  const users = await db
    .selectFrom('user_activity_daily')
    .select([sql<number>`sum(active_users)::int`.as('active'), sql<number>`sum(new_users)::int`.as('new')])
    .executeTakeFirstOrThrow();
  return {
    relays: Object.fromEntries(perRelay.map((r) => [r.url, { valid: r.valid, invalid: r.invalid }])),
    uniqueByKind: Object.fromEntries(byKind.map((r) => [r.kind, r.n])),
    zaps,
    pubkeys: await count('pubkeys'),
    articles: await count('articles'),
    clients: Object.fromEntries(clients.map((c) => [c.client, c.n])),
    senders: senders.n,
    replaceable: Object.fromEntries(replaceable.map((r) => [`${r.kind}:${r.pubkey}`, r.event_id])),
    users,
  };
}

/** The truth reduced to the same shape (relays limited to `urls`). */
export function truthFigures(truth: GroundTruth, urls: readonly string[]) {
  const relays: Record<string, { valid: number; invalid: number }> = {};
  for (const url of urls) {
    const r = truth.relays[url];
    if (r && (r.valid > 0 || r.invalid > 0)) relays[url] = { valid: r.valid, invalid: r.invalid };
  }
  return {
    relays,
    uniqueByKind: Object.fromEntries(Object.entries(truth.uniqueByKind).filter(([, n]) => n > 0)),
    // NIP-57: accepted receipts are summed, the rest counted by reason.
    zaps: {
      zaps: truth.zaps.accepted,
      msats: truth.zaps.acceptedMsats,
      rejected: Object.fromEntries(Object.entries(truth.zaps.rejected).filter(([, n]) => n > 0)),
      unverifiedMsats: truth.zaps.unverified.msats,
    },
    // Zap receipt signers are services, not users.
    pubkeys: truth.userPubkeys,
    articles: truth.articles,
    clients: Object.fromEntries(Object.entries(truth.clients).map(([c, t]) => [c, t.events])),
    senders: truth.zaps.acceptedSenders,
    replaceable: Object.fromEntries(Object.entries(truth.replaceable).map(([k, v]) => [k, v.id])),
    users: { active: truth.userPubkeys, new: truth.userPubkeys },
  };
}
