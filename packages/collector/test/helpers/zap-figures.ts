import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';

/** Zap figures as the collector stored them: accepted sums and participants, rejections by reason. */
export interface ZapFigures {
  accepted: number;
  acceptedMsats: number;
  senders: number;
  receivers: number;
  rejected: Record<string, number>;
  unverified: { count: number; msats: number };
}

/** Reads the zap tables. */
export async function zapFigures(db: Kysely<Database>): Promise<ZapFigures> {
  const sums = await db
    .selectFrom('zaps_daily')
    .select([
      sql<number>`coalesce(sum(zaps), 0)::int`.as('zaps'),
      sql<number>`coalesce(sum(sats) * 1000 + sum(extra_msats), 0)::bigint`.as('msats'),
    ])
    .executeTakeFirstOrThrow();
  const participants = await db
    .selectFrom('zap_participants')
    .select(['role', sql<number>`count(*)::int`.as('n')])
    .groupBy('role')
    .execute();
  const rejections = await db
    .selectFrom('zap_rejections_daily')
    .select([
      'reason',
      sql<number>`sum(receipts)::int`.as('n'),
      sql<number>`(sum(sats) * 1000 + sum(extra_msats))::bigint`.as('msats'),
    ])
    .groupBy('reason')
    .execute();
  const unverified = rejections.find((r) => r.reason === 'unverified');
  return {
    accepted: sums.zaps,
    acceptedMsats: Number(sums.msats),
    senders: participants.find((p) => p.role === 'sender')?.n ?? 0,
    receivers: participants.find((p) => p.role === 'receiver')?.n ?? 0,
    rejected: Object.fromEntries(rejections.filter((r) => r.n > 0).map((r) => [r.reason, r.n])),
    unverified: { count: unverified?.n ?? 0, msats: Number(unverified?.msats ?? 0) },
  };
}

/** `after` less `before`, reasons with no change left out. */
export function zapDelta(after: ZapFigures, before: ZapFigures): ZapFigures {
  const rejected: Record<string, number> = {};
  for (const [reason, n] of Object.entries(after.rejected)) {
    const d = n - (before.rejected[reason] ?? 0);
    if (d !== 0) rejected[reason] = d;
  }
  return {
    accepted: after.accepted - before.accepted,
    acceptedMsats: after.acceptedMsats - before.acceptedMsats,
    senders: after.senders - before.senders,
    receivers: after.receivers - before.receivers,
    rejected,
    unverified: {
      count: after.unverified.count - before.unverified.count,
      msats: after.unverified.msats - before.unverified.msats,
    },
  };
}
