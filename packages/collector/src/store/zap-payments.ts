import type { Database, ZapUnverifiedTable } from '@nostr-info/shared/db';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { StoredUnverified, ZapClaim } from '../aggregate/zap-verdicts.js';
import { chunkRows } from './chunks.js';

// The payment check of zap receipts, in the flush transaction: `zap_payments` (one row per
// counted payment) and `zap_unverified` (receipts counted unverified, kept for another check).

type Tx = Kysely<Database>;

const byText = <T>(rows: Iterable<T>, key: (r: T) => string): T[] =>
  [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/**
 * One claim per payment hash: an accepted receipt before an unverified one, then the first
 * received; the others are duplicates of it.
 */
export function pickClaims(claims: readonly ZapClaim[]): { winners: ZapClaim[]; duplicates: ZapClaim[] } {
  const best = new Map<string, ZapClaim>();
  const duplicates: ZapClaim[] = [];
  const rank = (c: ZapClaim) => (c.verdict === 'accepted' ? 0 : 1);
  for (const c of claims) {
    const current = best.get(c.paymentHash);
    if (!current) {
      best.set(c.paymentHash, c);
      continue;
    }
    const better =
      rank(c) < rank(current) ||
      (rank(c) === rank(current) &&
        (c.atMs < current.atMs || (c.atMs === current.atMs && c.receiptId < current.receiptId)));
    duplicates.push(better ? current : c);
    if (better) best.set(c.paymentHash, c);
  }
  return { winners: byText(best.values(), (c) => c.paymentHash), duplicates };
}

/**
 * Claims payment hashes in `zap_payments` and says, for the hashes this statement counted, how:
 * `new`, or `verified` (an unverified payment an accepted receipt now verifies). A hash another
 * flush counted first — on this replica or another, before a restart or a cache wipe — is not
 * returned: the receipt is a duplicate. The row lock makes concurrent flushes of one hash wait
 * for each other, so exactly one counts it.
 */
export async function claimPayments(
  tx: Tx,
  claims: readonly ZapClaim[],
): Promise<Map<string, 'new' | 'verified' | 'again'>> {
  const counted = new Map<string, 'new' | 'verified' | 'again'>();
  for (const chunk of chunkRows(claims, 4)) {
    const rows = await tx
      .insertInto('zap_payments')
      .values(
        chunk.map((c) => ({
          payment_hash: c.paymentHash,
          verdict: c.verdict,
          receipt_id: c.receiptId,
          first_seen_at: new Date(c.atMs),
        })),
      )
      .onConflict((oc) =>
        oc
          .column('payment_hash')
          .doUpdateSet({ verdict: sql`excluded.verdict`, receipt_id: sql`excluded.receipt_id` })
          .where((eb) =>
            eb.and([eb('zap_payments.verdict', '=', 'unverified'), eb('excluded.verdict', '=', 'accepted')]),
          ),
      )
      // xmax = 0 marks a row this statement inserted; an updated one was verified now.
      .returning(['payment_hash', sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    for (const r of rows) counted.set(r.payment_hash, r.inserted ? 'new' : 'verified');
  }
  // The same receipt delivered again (a replay after a crash, before its first copy's verdict was
  // known to be written): its payment is already counted by itself, not by another receipt.
  const taken = claims.filter((c) => !counted.has(c.paymentHash));
  for (const chunk of chunkRows(taken, 2, 1000)) {
    const same = await tx
      .selectFrom('zap_payments')
      .select(['payment_hash', 'receipt_id'])
      .where(
        'payment_hash',
        'in',
        chunk.map((c) => c.paymentHash),
      )
      .execute();
    const receipts = new Map(same.map((r) => [r.payment_hash, r.receipt_id]));
    for (const c of chunk)
      if (receipts.get(c.paymentHash) === c.receiptId) counted.set(c.paymentHash, 'again');
  }
  return counted;
}

/** Stored unverified receipts checked again and accepted: their payments, if still unverified. */
export async function verifyPayments(tx: Tx, hashes: readonly string[]): Promise<Set<string>> {
  const verified = new Set<string>();
  for (const chunk of chunkRows(hashes, 1, 1000)) {
    const rows = await tx
      .updateTable('zap_payments')
      .set({ verdict: 'accepted' })
      .where('payment_hash', 'in', chunk)
      .where('verdict', '=', 'unverified')
      .returning('payment_hash')
      .execute();
    for (const r of rows) verified.add(r.payment_hash);
  }
  return verified;
}

/** Takes stored unverified receipts out of `zap_unverified` (they were counted unverified there). */
export async function takeStored(tx: Tx, hashes: readonly string[]): Promise<StoredUnverified[]> {
  const taken: StoredUnverified[] = [];
  for (const chunk of chunkRows(hashes, 1, 1000)) {
    const rows = await tx
      .deleteFrom('zap_unverified')
      .where('payment_hash', 'in', chunk)
      .returningAll()
      .execute();
    taken.push(...rows.map(storedOf));
  }
  return taken;
}

function storedOf(r: Selectable<ZapUnverifiedTable>): StoredUnverified {
  return {
    paymentHash: r.payment_hash,
    receiptId: r.receipt_id,
    receiver: r.receiver,
    signer: r.signer,
    sender: r.sender ?? undefined,
    hour: new Date(r.hour).toISOString(),
    atMs: new Date(r.at).getTime(),
    sats: Number(r.sats),
    extraMsats: Number(r.extra_msats),
  };
}

/** Keeps receipts counted unverified now, for another check when their recipient's profile turns up. */
export async function storeUnverified(tx: Tx, claims: readonly ZapClaim[]): Promise<void> {
  for (const chunk of chunkRows(claims, 9)) {
    await tx
      .insertInto('zap_unverified')
      .values(
        chunk.map((c) => ({
          payment_hash: c.paymentHash,
          receipt_id: c.receiptId,
          receiver: c.receiver ?? '',
          signer: c.signer,
          sender: c.sender ?? null,
          hour: c.hour,
          at: new Date(c.atMs),
          sats: c.sats,
          extra_msats: c.extraMsats,
        })),
      )
      .onConflict((oc) => oc.column('payment_hash').doNothing())
      .execute();
  }
}

/**
 * Stored unverified receipts whose recipient has a Lightning address now: recipients whose profile
 * this flush writes, and the receipts it stores (their recipient's profile may have come meanwhile).
 */
export async function findRechecks(
  tx: Tx,
  pubkeys: readonly string[],
  hashes: readonly string[],
): Promise<StoredUnverified[]> {
  const found = new Map<string, StoredUnverified>();
  const withAddress = tx
    .selectFrom('zap_unverified as u')
    .innerJoin('lightning_addresses as l', 'l.pubkey', 'u.receiver')
    .selectAll('u')
    .where((eb) => eb.or([eb('l.lud16', 'is not', null), eb('l.lud06', 'is not', null)]));
  for (const chunk of chunkRows(pubkeys, 1, 1000))
    for (const r of await withAddress.where('u.receiver', 'in', chunk).execute())
      found.set(r.payment_hash, storedOf(r));
  for (const chunk of chunkRows(hashes, 1, 1000))
    for (const r of await withAddress.where('u.payment_hash', 'in', chunk).execute())
      found.set(r.payment_hash, storedOf(r));
  return [...found.values()];
}
