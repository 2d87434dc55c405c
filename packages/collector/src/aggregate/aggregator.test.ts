import { describe, expect, it } from 'vitest';
import { makeInvoice } from '../../test/helpers/bolt11.js';
import { unverifiedEvents } from '../../test/helpers/unverified-events.js';
import { Aggregator } from './aggregator.js';
import { hourOf, slotOf } from './buckets.js';

const PK = 'a'.repeat(64);
const at = Date.UTC(2026, 10, 24, 5, 30);
const ev = unverifiedEvents(PK);

describe('Aggregator', () => {
  it('counts per relay for every copy and network-wide once', () => {
    const a = new Aggregator();
    a.recordCopy(1, 1, at, false);
    a.recordCopy(2, 1, at, true);
    a.recordInvalid(3, 1, at);
    a.recordUnique(ev(1, [['client', 'Damus']]), at);
    const b = a.buffer;
    // Counters are kept per 5-minute slot (05:30), each row naming its hour (05:00).
    const slot = slotOf(at);
    expect(slot).toBe('2026-11-24T05:30:00.000Z');
    expect(b.relayKind.get(`${slot}|1|1`)).toMatchObject({ hour: hourOf(at), events: 1, duplicates: 0 });
    expect(b.relayKind.get(`${slot}|2|1`)).toMatchObject({ events: 1, duplicates: 1 });
    expect(b.relayKind.get(`${slot}|3|1`)).toMatchObject({ events: 0, invalid: 1 });
    expect(b.network.get(`${slot}|1`)?.events).toBe(1);
    expect(b.clients.get(`${slot}|damus`)?.events).toBe(1);
    expect(b.pubkeys.get(PK)?.events).toBe(1);
    expect(b.events).toBe(1);
  });

  it('keeps articles per (pubkey, d) and the latest replaceable event', () => {
    const a = new Aggregator();
    a.recordUnique(ev(30023, [['d', 'post']], 100), at);
    a.recordUnique(ev(30023, [['d', 'post']], 200), at);
    a.recordUnique(ev(30023, [['d', 'other']], 150), at);
    const newest = ev(0, [], 300);
    a.recordUnique(ev(0, [], 250), at);
    a.recordUnique(newest, at);
    a.recordUnique(ev(0, [], 100), at);
    expect(a.buffer.articles.size).toBe(2);
    expect(a.buffer.articles.get(`${PK}|post`)).toMatchObject({ events: 2, latestCreatedAt: 200_000 });
    expect(a.buffer.replaceable.get(`0|${PK}`)?.eventId).toBe(newest.id);
  });

  it('hands zap receipts and profiles to zap verification; receipt signers are no users', () => {
    const a = new Aggregator();
    const receipts: string[] = [];
    const profiles: string[] = [];
    a.zapSink = { receipt: (e) => receipts.push(e.id), profile: (p) => profiles.push(p.lud16 ?? '') };
    const receipt = ev(9735, [
      ['bolt11', makeInvoice('21u')],
      ['p', PK],
    ]);
    a.recordUnique(receipt, at);
    a.recordUnique(ev(0, [], 100), at);
    expect(receipts).toEqual([receipt.id]);
    expect(a.buffer.network.get(`${slotOf(at)}|9735`)?.events).toBe(1);
    // Handed on, not summed here: sums come only from claims the payment check settles.
    expect(a.buffer.zapVerdicts.claims).toEqual([]);
    // The profile's author is a user; the receipt's signer (the same key here) is not counted for it.
    expect(a.buffer.pubkeys.get(PK)?.events).toBe(1);
    expect(a.buffer.zapVerdicts.addresses.get(PK)).toMatchObject({ lud16: null, lud06: null });
    expect(profiles).toEqual(['']);
    // Without zap verification (tools, unit tests) a receipt is unverified, never summed.
    const bare = new Aggregator();
    bare.recordUnique(receipt, at);
    expect([...bare.buffer.zapVerdicts.rejections.values()]).toEqual([
      { hour: hourOf(at), slot: slotOf(at), reason: 'unverified', receipts: 1, sats: 0, extraMsats: 0 },
    ]);
    expect(bare.buffer.pubkeys.size).toBe(0);
  });

  it('merges a failed buffer back without losing or doubling anything', () => {
    const a = new Aggregator();
    a.recordCopy(1, 1, at, false);
    a.recordUnique(ev(1), at);
    a.recordUnique(ev(9735, [['bolt11', makeInvoice('15n')]]), at);
    a.buffer.zapVerdicts.reject(hourOf(at), 'bad_request', 1, 500, 1, at);
    a.recordCopy(1, 1, at + 10 * 60_000, false);
    a.buffer.healthRow(hourOf(at), 1, at).observedMs += 1000;
    const failed = a.take();
    a.recordCopy(1, 1, at, false);
    a.recordUnique(ev(1, [], 100, 'c'.repeat(64)), at + 1000);
    a.recordUnique(ev(9735, [['bolt11', makeInvoice('27n')]], 100, 'c'.repeat(64)), at + 1000);
    a.buffer.zapVerdicts.reject(hourOf(at), 'bad_request', 2, 700, 1, at);
    a.buffer.healthRow(hourOf(at), 1, at).observedMs += 500;
    a.restore(failed);
    const slot = slotOf(at);
    expect(a.buffer.zapVerdicts.rejections.get(`${slot}|bad_request`)).toMatchObject({
      receipts: 2,
      sats: 3,
      extraMsats: 1200,
    });
    // Each slot keeps its own rows through the merge: 05:30 twice, 05:40 once.
    expect(a.buffer.relayKind.get(`${slot}|1|1`)?.events).toBe(2);
    expect(a.buffer.relayKind.get(`${slotOf(at + 10 * 60_000)}|1|1`)).toMatchObject({
      hour: hourOf(at),
      events: 1,
    });
    expect(a.buffer.health.get(`${slot}|1`)?.observedMs).toBe(1500);
    expect(a.buffer.network.get(`${slot}|1`)?.events).toBe(2);
    // Zap receipts are network events but their signers are no users.
    expect(a.buffer.pubkeys.size).toBe(2);
    expect(a.buffer.events).toBe(4);
  });
});
