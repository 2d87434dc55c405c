import type { Databases } from '@nostr-info/shared/db';
import { migratedEmbeddedDatabase, migratedTestDatabase } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourOf } from '../src/aggregate/buckets.js';
import { CounterBuffer } from '../src/aggregate/counter-buffer.js';
import type { ZapClaim } from '../src/aggregate/zap-verdicts.js';
import { writeBuffer } from '../src/store/flush.js';
import { zapFigures } from './helpers/zap-figures.js';

// The payment check in the flush transaction, on both databases the collector writes: one
// payment counts once however many receipts claim it, in one flush or across flushes; an
// accepted receipt beats an unverified one in the same flush and verifies an unverified payment
// of an earlier one; a failed flush claims nothing. And the newest profile names the address.

const at = Date.UTC(2026, 11, 5, 10, 15);
const hash = (c: string) => c.repeat(64);
const claim = (o: Partial<ZapClaim> & Pick<ZapClaim, 'paymentHash' | 'receiptId'>): ZapClaim => ({
  hour: hourOf(at),
  atMs: at,
  verdict: 'accepted',
  sats: 21,
  extraMsats: 500,
  sender: 'a'.repeat(64),
  receiver: 'b'.repeat(64),
  signer: 'd'.repeat(64),
  recheck: false,
  ...o,
});
const flush = async (dbs: Databases, fill: (b: CounterBuffer) => void) => {
  const buffer = new CounterBuffer();
  fill(buffer);
  await writeBuffer(dbs.writer, buffer);
  return buffer;
};

describe.each(['postgres', 'pglite'] as const)('zap verdicts in the flush (%s)', (backend) => {
  let dbs: Databases;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    if (backend === 'postgres') {
      const db = await migratedTestDatabase('collector_flush_zaps');
      dbs = db.dbs;
      drop = () => db.drop();
    } else {
      dbs = await migratedEmbeddedDatabase();
      drop = () => dbs.close();
    }
  });
  afterAll(() => drop?.());

  it('counts each payment once, accepted before unverified, and moves a verified payment out of unverified', async () => {
    const first = await flush(dbs, (b) => {
      b.zapVerdicts.claim(claim({ paymentHash: hash('1'), receiptId: hash('a'), verdict: 'unverified' }));
      b.zapVerdicts.claim(claim({ paymentHash: hash('1'), receiptId: hash('b') }));
      b.zapVerdicts.claim(claim({ paymentHash: hash('1'), receiptId: hash('c'), atMs: at + 1 }));
      b.zapVerdicts.claim(claim({ paymentHash: hash('2'), receiptId: hash('d'), verdict: 'unverified' }));
      b.zapVerdicts.reject(hourOf(at), 'not_mainnet', 1, 0);
    });
    expect(Object.fromEntries(first.zapVerdicts.written)).toEqual({
      duplicate_payment: 2,
      unverified: 1,
      not_mainnet: 1,
    });
    await flush(dbs, (b) => {
      // Payment 2 verifies now: counted; payment 1 again: a duplicate, whatever its verdict.
      b.zapVerdicts.claim(claim({ paymentHash: hash('2'), receiptId: hash('e') }));
      b.zapVerdicts.claim(claim({ paymentHash: hash('1'), receiptId: hash('f'), verdict: 'unverified' }));
      b.zapVerdicts.claim(claim({ paymentHash: hash('2'), receiptId: hash('9'), verdict: 'unverified' }));
    });
    expect(await zapFigures(dbs.reader)).toEqual({
      accepted: 2,
      acceptedMsats: 43_000,
      senders: 1,
      receivers: 1,
      // The unverified receipt of payment 2 became a duplicate of the one that verified it.
      rejected: { duplicate_payment: 5, not_mainnet: 1 },
      unverified: { count: 0, msats: 0 },
    });
    expect(await dbs.reader.selectFrom('zap_unverified').select('payment_hash').execute()).toEqual([]);
    const payments = await dbs.reader
      .selectFrom('zap_payments')
      .select(['payment_hash', 'verdict', 'receipt_id'])
      .orderBy('payment_hash')
      .execute();
    expect(payments).toEqual([
      { payment_hash: hash('1'), verdict: 'accepted', receipt_id: hash('b') },
      { payment_hash: hash('2'), verdict: 'accepted', receipt_id: hash('e') },
    ]);
  });

  it('claims nothing in a flush that fails', async () => {
    const buffer = new CounterBuffer();
    buffer.zapVerdicts.claim(claim({ paymentHash: hash('3'), receiptId: hash('7') }));
    // A verdict the table refuses fails the whole transaction, the claim beside it included.
    buffer.zapVerdicts.claim(
      claim({ paymentHash: hash('8'), receiptId: hash('8'), verdict: 'bogus' as ZapClaim['verdict'] }),
    );
    await expect(writeBuffer(dbs.writer, buffer)).rejects.toThrow();
    await flush(dbs, (b) => b.zapVerdicts.claim(claim({ paymentHash: hash('3'), receiptId: hash('7') })));
    expect((await zapFigures(dbs.reader)).accepted).toBe(3);
  });

  it('keeps unverified receipts, finds them once their recipient has an address, and moves them', async () => {
    const receiver = 'e'.repeat(64);
    const before = await zapFigures(dbs.reader);
    const unverified = (c: string) =>
      claim({ paymentHash: hash(c), receiptId: hash(c), receiver, verdict: 'unverified' });
    const stored = await flush(dbs, (b) => {
      for (const c of ['a', 'b', 'c']) b.zapVerdicts.claim(unverified(c));
    });
    expect(stored.zapVerdicts.rechecks).toEqual([]);
    expect((await zapFigures(dbs.reader)).unverified.count - before.unverified.count).toBe(3);
    // The recipient's profile names an address now: its stored receipts come back for a check.
    const found = await flush(dbs, (b) =>
      b.zapVerdicts.addAddress({
        pubkey: receiver,
        eventId: hash('0'),
        createdAt: 1,
        lud16: 'e@w.example',
        lud06: null,
      }),
    );
    expect(found.zapVerdicts.rechecks.map((r) => r.paymentHash).sort()).toEqual([
      hash('a'),
      hash('b'),
      hash('c'),
    ]);
    expect(found.zapVerdicts.rechecks[0]).toMatchObject({
      receiver,
      signer: 'd'.repeat(64),
      sats: 21,
      extraMsats: 500,
    });
    const [a] = found.zapVerdicts.rechecks;
    if (!a) throw new Error('no recheck');
    await flush(dbs, (b) => {
      b.zapVerdicts.claim({
        ...a,
        paymentHash: hash('a'),
        receiptId: hash('a'),
        verdict: 'accepted',
        recheck: true,
      });
      b.zapVerdicts.drop(hash('b'), 'zapper_mismatch');
    });
    // Checked again by another replica at the same time: nothing more, and no duplicate.
    await flush(dbs, (b) => {
      b.zapVerdicts.claim({
        ...a,
        paymentHash: hash('a'),
        receiptId: hash('a'),
        verdict: 'accepted',
        recheck: true,
      });
      b.zapVerdicts.drop(hash('b'), 'zapper_mismatch');
    });
    const after = await zapFigures(dbs.reader);
    expect(after.accepted - before.accepted).toBe(1);
    expect(after.unverified.count - before.unverified.count).toBe(1);
    expect((after.rejected.zapper_mismatch ?? 0) - (before.rejected.zapper_mismatch ?? 0)).toBe(1);
    expect(after.rejected.duplicate_payment).toBe(before.rejected.duplicate_payment);
    const left = await dbs.reader.selectFrom('zap_unverified').select('payment_hash').execute();
    expect(left).toEqual([{ payment_hash: hash('c') }]);
    // The payment the second check rejected may count when its real receipt comes.
    await flush(dbs, (b) =>
      b.zapVerdicts.claim(claim({ paymentHash: hash('b'), receiptId: hash('1'), receiver })),
    );
    expect((await zapFigures(dbs.reader)).accepted - before.accepted).toBe(2);
  });

  it('keeps the newest profile per pubkey (ties: the lowest id)', async () => {
    const pubkey = 'c'.repeat(64);
    const entry = (eventId: string, createdAt: number, lud16: string) => ({
      pubkey,
      eventId,
      createdAt,
      lud16,
      lud06: null,
    });
    await flush(dbs, (b) => b.zapVerdicts.addAddress(entry(hash('5'), 2000, 'new@w.example')));
    await flush(dbs, (b) => b.zapVerdicts.addAddress(entry(hash('4'), 1000, 'old@w.example')));
    await flush(dbs, (b) => b.zapVerdicts.addAddress(entry(hash('3'), 2000, 'tie@w.example')));
    await flush(dbs, (b) => b.zapVerdicts.addAddress(entry(hash('6'), 2000, 'loser@w.example')));
    const row = await dbs.reader
      .selectFrom('lightning_addresses')
      .select(['event_id', 'lud16'])
      .where('pubkey', '=', pubkey)
      .executeTakeFirst();
    expect(row).toEqual({ event_id: hash('3'), lud16: 'tie@w.example' });
  });
  it('takes a receipt delivered again (a replay after a crash) as the one already counted, not a duplicate', async () => {
    const before = await zapFigures(dbs.reader);
    await flush(dbs, (b) => b.zapVerdicts.claim(claim({ paymentHash: hash('5'), receiptId: hash('5') })));
    const again = await flush(dbs, (b) =>
      b.zapVerdicts.claim(claim({ paymentHash: hash('5'), receiptId: hash('5') })),
    );
    expect(Object.fromEntries(again.zapVerdicts.written)).toEqual({});
    const after = await zapFigures(dbs.reader);
    expect(after.accepted - before.accepted).toBe(1);
    expect(after.rejected).toEqual(before.rejected);
  });
});
