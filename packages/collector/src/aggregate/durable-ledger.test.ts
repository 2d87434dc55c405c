import { describe, expect, it } from 'vitest';
import { unverifiedEvents } from '../../test/helpers/unverified-events.js';
import { CountedLog, DurableLedger, idKey, PACKED_ID_BYTES, packCredited } from './durable-ledger.js';

const nowSec = Math.floor(Date.UTC(2026, 11, 6, 3) / 1000);
const ev = unverifiedEvents('a'.repeat(64));

describe('CountedLog', () => {
  it('gives back each event as its counters read it, keyed as counted_events keys it', () => {
    const events = [
      ev(
        1,
        [
          ['client', 'Damus'],
          ['p', 'b'.repeat(64)],
        ],
        nowSec,
      ),
      ev(
        30023,
        [
          ['d', 'post'],
          ['t', 'nostr'],
        ],
        nowSec - 10,
      ),
      ev(
        5,
        [
          ['e', 'c'.repeat(64)],
          ['k', '1'],
        ],
        nowSec - 20,
      ),
      ev(7, [], nowSec + 30),
    ];
    const log = new CountedLog();
    for (const [i, e] of events.entries()) log.add(e, nowSec * 1000 + i, 10 + i);

    expect(log.length).toBe(events.length);
    events.forEach((e, i) => {
      const back = log.at(i);
      expect(back.index).toBe(i);
      expect(back.atMs).toBe(nowSec * 1000 + i);
      expect(back.relayId).toBe(10 + i);
      expect(back.event).toMatchObject({
        id: e.id,
        pubkey: e.pubkey,
        kind: e.kind,
        created_at: e.created_at,
      });
      expect(BigInt.asIntN(64, (BigInt(log.keyHi(i)) << 32n) | BigInt(log.keyLo(i))).toString()).toBe(
        idKey(e.id),
      );
      expect(log.horizonAt(i)).toBe(Math.max(e.created_at, nowSec));
    });
    expect(log.at(0).event.tags).toEqual([['client', 'Damus']]);
    expect(log.at(1).event.tags).toEqual([['d', 'post']]);
    expect(log.at(2).event.tags).toEqual(events[2]?.tags);
    expect(log.at(3).event.tags).toEqual([]);
  });

  it('drops entries by index and appends an older log in front', () => {
    const older = new CountedLog();
    const newer = new CountedLog();
    const a = ev(1, [], nowSec);
    const b = ev(1, [], nowSec + 1);
    const c = ev(1, [], nowSec + 2);
    older.add(a, 1, 1);
    newer.add(b, 2, 2);
    newer.add(c, 3, 3);
    expect(
      newer
        .after(older)
        .all()
        .map((x) => x.event.id),
    ).toEqual([a.id, b.id, c.id]);
    expect(
      newer
        .without(new Set([0]))
        .all()
        .map((x) => [x.event.id, x.index]),
    ).toEqual([[c.id, 0]]);
  });
  it('keeps tag sets through drops and merges, and any created_at and arrival exactly', () => {
    const older = new CountedLog();
    const newer = new CountedLog();
    const damus = ev(1, [['client', 'Damus']], nowSec);
    const amethyst = ev(1, [['client', 'Amethyst']], 4_102_444_800_000);
    const damusAgain = ev(1, [['client', 'Damus']], -5);
    older.add(damus, 1_764_979_200_123, 1);
    newer.add(amethyst, 2, 2);
    newer.add(damusAgain, 3, 3);
    const both = newer.after(older).without(new Set([1]));
    expect(both.all().map((x) => [x.event.id, x.event.tags, x.event.created_at, x.atMs, x.relayId])).toEqual([
      [damus.id, [['client', 'Damus']], nowSec, 1_764_979_200_123, 1],
      [damusAgain.id, [['client', 'Damus']], -5, 3, 3],
    ]);
  });
});

describe('CountedLog keyOrder', () => {
  it('orders entries as the signed 64-bit key sorts, equal keys in the order counted, across chunks', () => {
    // Ids that share their first 64 bits (the key) make equal keys; ids starting with 8-f are the
    // negative keys. 3,000 entries span three of the log's chunks.
    const prefixes = Array.from({ length: 700 }, (_, i) =>
      ((i * 2_654_435_761) % 2 ** 32).toString(16).padStart(8, '0').repeat(2),
    );
    const log = new CountedLog();
    for (let i = 0; i < 3000; i++) {
      const prefix = prefixes[(i * 7919) % prefixes.length] as string;
      log.add({ ...ev(1, [], nowSec), id: prefix + i.toString(16).padStart(48, '0') }, nowSec * 1000, 1);
    }
    const byKey = Array.from({ length: log.length }, (_, i) => i).sort((a, b) => {
      const ka = BigInt(idKey(log.at(a).event.id));
      const kb = BigInt(idKey(log.at(b).event.id));
      return ka < kb ? -1 : ka > kb ? 1 : a - b;
    });
    const order = log.keyOrder();
    expect(Array.from(order)).toEqual(byKey);
    // Keys of both signs, and keys shared by several entries, were in the test.
    const keys = byKey.map((i) => BigInt(idKey(log.at(i).event.id)));
    expect(keys[0]).toBeLessThan(0n);
    expect(keys.at(-1)).toBeGreaterThan(0n);
    expect(new Set(keys).size).toBe(prefixes.length);
  });
});

describe('DurableLedger credit', () => {
  it('packs each credited id as two id words and created_at, merged across buffers', () => {
    const older = new DurableLedger();
    const ledger = new DurableLedger();
    const ids = Array.from({ length: 100 }, (_, i) => ev(1, [], nowSec + i));
    for (const e of ids.slice(0, 40)) older.credit(7, e.id, e.created_at);
    for (const e of ids.slice(40)) ledger.credit(7, e.id, e.created_at);
    ledger.mergeFrom(older);
    const entry = ledger.credited.get(7);
    expect(entry?.newest).toBe(nowSec + 99);
    const packed = packCredited(entry?.words.view() ?? []);
    expect(packed.length).toBe(100 * PACKED_ID_BYTES);
    // The column's own memory and a copy word by word give the same bytes.
    expect(packCredited(Array.from(entry?.words.view() ?? []))).toEqual(packed);
    const back = new Set<string>();
    for (let at = 0; at < packed.length; at += PACKED_ID_BYTES) {
      const hex =
        packed.readUInt32LE(at).toString(16).padStart(8, '0') +
        packed
          .readUInt32LE(at + 4)
          .toString(16)
          .padStart(8, '0');
      back.add(`${hex}:${packed.readUInt32LE(at + 8)}`);
    }
    expect(back).toEqual(new Set(ids.map((e) => `${e.id.slice(0, 16)}:${e.created_at}`)));
  });
});
