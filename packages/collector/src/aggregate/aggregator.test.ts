import { describe, expect, it } from 'vitest';
import { makeInvoice } from '../../test/helpers/bolt11.js';
import { unverifiedEvents } from '../../test/helpers/unverified-events.js';
import { Aggregator } from './aggregator.js';
import { hourOf } from './buckets.js';

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
    const hour = hourOf(at);
    expect(b.relayKind.get(`${hour}|1|1`)).toMatchObject({ events: 1, duplicates: 0 });
    expect(b.relayKind.get(`${hour}|2|1`)).toMatchObject({ events: 1, duplicates: 1 });
    expect(b.relayKind.get(`${hour}|3|1`)).toMatchObject({ events: 0, invalid: 1 });
    expect(b.network.get(`${hour}|1`)?.events).toBe(1);
    expect(b.clients.get(`${hour}|damus`)?.events).toBe(1);
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

  it('sums plausible zaps and flags the rest', () => {
    const a = new Aggregator();
    const sender = 'b'.repeat(64);
    a.recordUnique(
      ev(9735, [
        ['bolt11', makeInvoice('21u')],
        ['P', sender],
        ['p', PK],
      ]),
      at,
    );
    a.recordUnique(
      ev(9735, [
        ['bolt11', makeInvoice('15n')], // 1.5 sats
        ['P', sender],
        ['p', PK],
      ]),
      at,
    );
    a.recordUnique(ev(9735, [['bolt11', makeInvoice('50')]]), at);
    a.recordUnique(ev(9735, [['bolt11', 'nonsense']]), at);
    expect(a.buffer.zaps.get(hourOf(at))).toEqual({
      hour: hourOf(at),
      zaps: 2,
      sats: 2101,
      extraMsats: 500,
      flagged: 1,
      invalidBolt11: 1,
    });
    expect(a.buffer.zapParticipants.get(`sender|${sender}`)).toMatchObject({
      events: 2,
      sats: 2101,
      extraMsats: 500,
    });
  });

  it('merges a failed buffer back without losing or doubling anything', () => {
    const a = new Aggregator();
    a.recordCopy(1, 1, at, false);
    a.recordUnique(ev(1), at);
    a.recordUnique(ev(9735, [['bolt11', makeInvoice('15n')]]), at);
    const failed = a.take();
    a.recordCopy(1, 1, at, false);
    a.recordUnique(ev(1, [], 100, 'c'.repeat(64)), at + 1000);
    a.recordUnique(ev(9735, [['bolt11', makeInvoice('27n')]], 100, 'c'.repeat(64)), at + 1000);
    a.restore(failed);
    expect(a.buffer.zaps.get(hourOf(at))).toMatchObject({ zaps: 2, sats: 3, extraMsats: 1200 });
    const hour = hourOf(at);
    expect(a.buffer.relayKind.get(`${hour}|1|1`)?.events).toBe(2);
    expect(a.buffer.network.get(`${hour}|1`)?.events).toBe(2);
    expect(a.buffer.pubkeys.size).toBe(2);
    expect(a.buffer.events).toBe(4);
  });
});
