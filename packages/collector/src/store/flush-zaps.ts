import type { Database } from '@nostr-info/shared/db';
import type { ZapRejectReason } from '@nostr-info/shared/stats';
import { type Kysely, sql } from 'kysely';
import { slotIn } from '../aggregate/buckets.js';
import type { ZapClaim, ZapRejectionRow, ZapVerdicts } from '../aggregate/zap-verdicts.js';
import type { RecheckPacer } from '../zaps/recheck-pacer.js';
import { byBucket } from './bucket-rows.js';
import { bump, chunkRows } from './chunks.js';
import { addCounters } from './upsert-counters.js';
import {
  claimPayments,
  findRechecks,
  pickClaims,
  storeUnverified,
  takeStored,
  verifyPayments,
} from './zap-payments.js';

type Tx = Kysely<Database>;

interface ZapSums {
  hour: string;
  slot: string;
  zaps: number;
  sats: number;
  extraMsats: number;
}

interface Participant {
  role: 'sender' | 'receiver';
  pubkey: string;
  first: number;
  last: number;
  zaps: number;
  sats: number;
  extraMsats: number;
}

const byText = <T>(rows: Iterable<T>, key: (r: T) => string): T[] =>
  [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** The latest Lightning address of each profile: newest created_at wins, ties the lowest id. */
async function writeAddresses(tx: Tx, verdicts: ZapVerdicts): Promise<void> {
  const entries = byText(verdicts.addresses.values(), (e) => e.pubkey);
  for (const chunk of chunkRows(entries, 5)) {
    await tx
      .insertInto('lightning_addresses')
      .values(
        chunk.map((e) => ({
          pubkey: e.pubkey,
          event_id: e.eventId,
          created_at: new Date(e.createdAt),
          lud16: e.lud16,
          lud06: e.lud06,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('pubkey')
          .doUpdateSet({
            event_id: sql`excluded.event_id`,
            created_at: sql`excluded.created_at`,
            lud16: sql`excluded.lud16`,
            lud06: sql`excluded.lud06`,
            updated_at: sql`now()`,
          })
          .where((eb) =>
            eb.or([
              eb('excluded.created_at', '>', eb.ref('lightning_addresses.created_at')),
              eb.and([
                eb('excluded.created_at', '=', eb.ref('lightning_addresses.created_at')),
                eb('excluded.event_id', '<', eb.ref('lightning_addresses.event_id')),
              ]),
            ]),
          ),
      )
      .execute();
  }
}

async function writeParticipants(tx: Tx, participants: Iterable<Participant>): Promise<void> {
  const rows = byText(participants, (p) => `${p.role}|${p.pubkey}`);
  for (const chunk of chunkRows(rows, 7)) {
    await tx
      .insertInto('zap_participants')
      .values(
        chunk.map((p) => ({
          pubkey: p.pubkey,
          role: p.role,
          first_seen_at: new Date(p.first),
          last_seen_at: new Date(p.last),
          zaps: p.zaps,
          sats: p.sats,
          extra_msats: p.extraMsats,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['role', 'pubkey']).doUpdateSet({
          first_seen_at: sql`least(zap_participants.first_seen_at, excluded.first_seen_at)`,
          last_seen_at: sql`greatest(zap_participants.last_seen_at, excluded.last_seen_at)`,
          zaps: sql`zap_participants.zaps + excluded.zaps`,
          sats: sql`zap_participants.sats + excluded.sats`,
          extra_msats: sql`zap_participants.extra_msats + excluded.extra_msats`,
        }),
      )
      .execute();
  }
}

const addSums = (a: ZapSums, b: ZapSums) => {
  a.zaps += b.zaps;
  a.sats += b.sats;
  a.extraMsats += b.extraMsats;
};
const addRejections = (a: ZapRejectionRow, b: ZapRejectionRow) => {
  a.receipts += b.receipts;
  a.sats += b.sats;
  a.extraMsats += b.extraMsats;
};

/**
 * Zap verdicts, in the flush transaction: Lightning addresses, then the payment claims — a claim
 * that counts adds its receipt to `zaps_*` and its sender and receiver to `zap_participants`
 * (accepted), or to the `unverified` rejections and `zap_unverified` (kept for another check);
 * one that does not is a `duplicate_payment` — then stored unverified receipts that were verified
 * (moved out of `unverified`, into the counted zaps) or rejected on a second check (moved to their
 * reason), then every rejection by reason (per 5-minute slot, hour and day). Sets
 * `verdicts.written` (the metric) and `verdicts.rechecks` (stored receipts whose recipient has an
 * address now: every one whose profile the flush writes, or those `pacer` says are due).
 */
export async function flushZapVerdicts(tx: Tx, verdicts: ZapVerdicts, pacer?: RecheckPacer): Promise<void> {
  await writeAddresses(tx, verdicts);
  const rejections = [...verdicts.rejections.values()].map((r) => ({ ...r }));
  const sums: ZapSums[] = [];
  const participants = new Map<string, Participant>();
  const reject = (
    c: Pick<ZapClaim, 'hour' | 'atMs' | 'sats' | 'extraMsats'>,
    reason: ZapRejectReason,
    receipts = 1,
  ) =>
    rejections.push({
      hour: c.hour,
      slot: slotIn(c.hour, c.atMs),
      reason,
      receipts,
      sats: receipts * c.sats,
      extraMsats: receipts * c.extraMsats,
    });
  const accept = (c: Pick<ZapClaim, 'hour' | 'atMs' | 'sats' | 'extraMsats' | 'sender' | 'receiver'>) => {
    sums.push({
      hour: c.hour,
      slot: slotIn(c.hour, c.atMs),
      zaps: 1,
      sats: c.sats,
      extraMsats: c.extraMsats,
    });
    for (const [role, pubkey] of [
      ['sender', c.sender],
      ['receiver', c.receiver],
    ] as const) {
      if (!pubkey) continue;
      const key = `${role}|${pubkey}`;
      const p = participants.get(key);
      if (p) {
        p.first = Math.min(p.first, c.atMs);
        p.last = Math.max(p.last, c.atMs);
        p.zaps += 1;
        p.sats += c.sats;
        p.extraMsats += c.extraMsats;
      } else {
        participants.set(key, {
          role,
          pubkey,
          first: c.atMs,
          last: c.atMs,
          zaps: 1,
          sats: c.sats,
          extraMsats: c.extraMsats,
        });
      }
    }
  };

  const { winners, duplicates } = pickClaims(verdicts.claims.filter((c) => !c.recheck));
  const counted = await claimPayments(tx, winners);
  for (const c of duplicates) reject(c, 'duplicate_payment');
  const stored: ZapClaim[] = [];
  /** Unverified payments verified now: by another receipt (the stored one is a duplicate of it), or by a second check of the stored one. */
  const verifiedByOther: string[] = [];
  const verifiedItself: string[] = [];
  for (const c of winners) {
    const how = counted.get(c.paymentHash);
    if (how === 'again') continue;
    if (!how) reject(c, 'duplicate_payment');
    else if (c.verdict === 'unverified') {
      reject(c, 'unverified');
      stored.push(c);
    } else {
      accept(c);
      if (how === 'verified') verifiedByOther.push(c.paymentHash);
    }
  }
  // A stored receipt checked again counts by verifying its own payment, once, or not at all.
  const rechecked = new Map(verdicts.claims.filter((c) => c.recheck).map((c) => [c.paymentHash, c]));
  const verified = await verifyPayments(tx, [...rechecked.keys()].sort());
  for (const hash of verified) {
    const c = rechecked.get(hash);
    if (c) accept(c);
    verifiedItself.push(hash);
  }
  // Verified payments leave `unverified`, where they were counted.
  for (const s of await takeStored(tx, verifiedItself.sort())) reject(s, 'unverified', -1);
  for (const s of await takeStored(tx, verifiedByOther.sort())) {
    reject(s, 'unverified', -1);
    reject(s, 'duplicate_payment');
  }
  // Rejected on a second check: from `unverified` to its reason; the payment may count again.
  const dropped = new Map(verdicts.dropped.map((d) => [d.paymentHash, d.reason]));
  const moved = await takeStored(tx, [...dropped.keys()].sort());
  for (const s of moved) {
    reject(s, 'unverified', -1);
    reject(s, dropped.get(s.paymentHash) ?? 'zapper_mismatch');
  }
  if (moved.length > 0) {
    await tx
      .deleteFrom('zap_payments')
      .where(
        'payment_hash',
        'in',
        moved.map((s) => s.paymentHash),
      )
      .where('verdict', '=', 'unverified')
      .execute();
  }
  await storeUnverified(tx, stored);
  verdicts.recheckDue = pacer ? pacer.due(verdicts.addresses.values(), Date.now()) : [];
  const withAddress = pacer
    ? verdicts.recheckDue.map((d) => d.pubkey)
    : [...verdicts.addresses.values()].filter((e) => e.lud16 || e.lud06).map((e) => e.pubkey);
  verdicts.rechecks = await findRechecks(
    tx,
    withAddress.sort(),
    stored.map((c) => c.paymentHash),
  );

  const zapSums = byBucket(sums, () => '', addSums);
  const zapCounters = ['zaps', 'sats', 'extra_msats'] as const;
  const zapValues = (r: ZapSums) => ({ zaps: r.zaps, sats: r.sats, extra_msats: r.extraMsats });
  await addCounters(tx, {
    table: 'zaps_hourly',
    keys: ['hour'],
    counters: zapCounters,
    rows: zapSums.hours.map((r) => ({ hour: r.hour, ...zapValues(r) })),
  });
  await addCounters(tx, {
    table: 'zaps_5m',
    keys: ['bucket'],
    counters: zapCounters,
    rows: zapSums.slots.map((r) => ({ bucket: r.slot, ...zapValues(r) })),
  });
  await addCounters(tx, {
    table: 'zaps_daily',
    keys: ['day'],
    counters: zapCounters,
    rows: zapSums.days.map((r) => ({ day: r.day, ...zapValues(r) })),
  });
  await writeParticipants(tx, participants.values());

  const byReason = byBucket(rejections, (r) => r.reason, addRejections);
  const rejectionCounters = ['receipts', 'sats', 'extra_msats'] as const;
  const rejectionValues = (r: ZapRejectionRow) => ({
    reason: r.reason,
    receipts: r.receipts,
    sats: r.sats,
    extra_msats: r.extraMsats,
  });
  await addCounters(tx, {
    table: 'zap_rejections_hourly',
    keys: ['hour', 'reason'],
    counters: rejectionCounters,
    rows: byReason.hours.map((r) => ({ hour: r.hour, ...rejectionValues(r) })),
  });
  await addCounters(tx, {
    table: 'zap_rejections_5m',
    keys: ['bucket', 'reason'],
    counters: rejectionCounters,
    rows: byReason.slots.map((r) => ({ bucket: r.slot, ...rejectionValues(r) })),
  });
  await addCounters(tx, {
    table: 'zap_rejections_daily',
    keys: ['day', 'reason'],
    counters: rejectionCounters,
    rows: byReason.days.map((r) => ({ day: r.day, ...rejectionValues(r) })),
  });
  // The metric counts verdicts reached, not the moves of stored receipts out of `unverified`.
  const written = new Map<ZapRejectReason, number>();
  for (const r of rejections) if (r.receipts > 0) bump(written as Map<string, number>, r.reason, r.receipts);
  verdicts.written = written;
}
