import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache, CacheKind } from '../src/cache/cache.js';
import { slotContract } from './slot-contract.js';

/** Two handles on one cache (two clients of one server; in process, the same instance twice). */
export interface CachePair {
  a: Cache;
  b: Cache;
  /** Keys stored per server node for keys starting with `prefix` (Cluster only), to see the spread. */
  keysPerNode?: (prefix: string) => Promise<number[]>;
  close(): Promise<void>;
}

/** Pub/sub delivery is asynchronous on every backend: wait this long for a message. */
const DELIVERY = { timeout: 3000, interval: 10 };

/**
 * The one behaviour every `Cache` implementation must have. Run against memory, Redis and Redis
 * Cluster with real servers; `open` gets a unique key prefix so runs never share keys.
 */
export function cacheContract(kind: CacheKind, open: (keyPrefix: string) => Promise<CachePair>): void {
  describe(`Cache contract: ${kind}`, () => {
    const keyPrefix = `test:shared:${kind}:${randomBytes(4).toString('hex')}:`;
    let pair: CachePair;
    let a: Cache;
    let b: Cache;
    const k = (name: string) => `${name}`;

    beforeAll(async () => {
      pair = await open(keyPrefix);
      a = pair.a;
      b = pair.b;
    });
    afterAll(async () => {
      await pair?.close();
    });

    it('reports its kind and answers ping', async () => {
      expect(a.kind).toBe(kind);
      expect(await a.ping()).toBe(true);
      expect(await b.ping()).toBe(true);
    });

    it('gets what was set, null for a missing key, and deletes', async () => {
      expect(await a.get(k('missing'))).toBeNull();
      await a.set(k('plain'), 'value-1');
      expect(await a.get(k('plain'))).toBe('value-1');
      // The other handle sees it: it is one cache.
      expect(await b.get(k('plain'))).toBe('value-1');
      await b.set(k('plain'), '{"json":"ü✓"}');
      expect(await a.get(k('plain'))).toBe('{"json":"ü✓"}');
      await a.del(k('plain'));
      expect(await b.get(k('plain'))).toBeNull();
      await a.del(k('never-there'));
    });

    it('expires keys set with a TTL and keeps the others', async () => {
      await a.set(k('ttl'), 'short', 1);
      await a.set(k('forever'), 'long');
      await a.set(k('replaced-ttl'), 'x', 1);
      await a.set(k('replaced-ttl'), 'y');
      expect(await a.get(k('ttl'))).toBe('short');
      await sleep(1300);
      expect(await a.get(k('ttl'))).toBeNull();
      expect(await a.get(k('forever'))).toBe('long');
      // A plain set removes an earlier TTL, as Redis SET does.
      expect(await a.get(k('replaced-ttl'))).toBe('y');
      await a.del(k('forever'));
      await a.del(k('replaced-ttl'));
    });

    it('setIfAbsent: the first writer wins until the key expires', async () => {
      expect(await a.setIfAbsent(k('nx'), 'first', 1)).toBe(true);
      expect(await b.setIfAbsent(k('nx'), 'second', 1)).toBe(false);
      expect(await a.get(k('nx'))).toBe('first');
      await sleep(1300);
      expect(await b.setIfAbsent(k('nx'), 'third', 60)).toBe(true);
      expect(await a.get(k('nx'))).toBe('third');
      await a.del(k('nx'));
    });

    it('setIfAbsent: exactly one of many concurrent writers wins', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).setIfAbsent(k('race'), `w${i}`, 60)),
      );
      expect(answers.filter(Boolean)).toHaveLength(1);
      await a.del(k('race'));
    });

    it('claim answers null to the first writer and the first value to every later one', async () => {
      const key = k(`claim:${randomBytes(3).toString('hex')}`);
      expect(await a.claim(key, 'tokenA:1', 60)).toBeNull();
      expect(await b.claim(key, 'tokenB:2', 60)).toBe('tokenA:1');
      expect(await a.get(key)).toBe('tokenA:1');
      await a.del(key);
    });

    it('replaceIf sets only while the value is still the expected one (one winner in a race)', async () => {
      const key = k(`cas:${randomBytes(3).toString('hex')}`);
      expect(await a.replaceIf(key, 'dead:1', 'mine:2', 60)).toBe(false);
      await a.set(key, 'dead:1', 60);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).replaceIf(key, 'dead:1', `w${i}:3`, 60)),
      );
      expect(answers.filter(Boolean)).toHaveLength(1);
      expect(await b.get(key)).toBe(`w${answers.indexOf(true)}:3`);
      await a.del(key);
    });

    it('setManyIfAbsent over keys in many slots answers in order', async () => {
      const keys = Array.from(
        { length: 300 },
        (_, i) => `dedup:${i.toString(36)}:${randomBytes(3).toString('hex')}`,
      );
      expect(await a.setManyIfAbsent([], 60)).toEqual([]);
      const first = await a.setManyIfAbsent(keys, 60);
      expect(first).toEqual(keys.map(() => true));
      // Half old, half new, interleaved: every answer must line up with its key.
      const fresh = keys.map((key) => `${key}:new`);
      const mixed = keys.flatMap((key, i) => (i % 2 ? [key] : [fresh[i] ?? key])).slice(0, 300);
      const second = await b.setManyIfAbsent(mixed, 60);
      expect(second).toEqual(mixed.map((key) => key.endsWith(':new')));
      // A duplicate inside one batch: only its first copy is new.
      const dup = `dedup:dup:${randomBytes(3).toString('hex')}`;
      expect(await a.setManyIfAbsent([dup, dup], 60)).toEqual([true, false]);
      expect(await a.get(keys[0] ?? '')).toBe('1');
      if (pair.keysPerNode) {
        const perNode = await pair.keysPerNode(`${keyPrefix}dedup:`);
        // 300 keys over 16,384 slots and 3 masters: every master holds a share.
        expect(perNode.length).toBe(3);
        for (const count of perNode) expect(count).toBeGreaterThan(50);
      }
    });

    it('hitWindow counts hits in a fixed window and starts over after it', async () => {
      const first = await a.hitWindow(k('rl'), 1);
      expect(first.count).toBe(1);
      expect(first.resetMs).toBeGreaterThan(500);
      expect(first.resetMs).toBeLessThanOrEqual(1000);
      expect((await b.hitWindow(k('rl'), 1)).count).toBe(2);
      const third = await a.hitWindow(k('rl'), 1);
      expect(third.count).toBe(3);
      expect(third.resetMs).toBeLessThanOrEqual(first.resetMs);
      // Other keys count on their own.
      expect((await a.hitWindow(k('rl-other'), 1)).count).toBe(1);
      await sleep(1300);
      const reset = await a.hitWindow(k('rl'), 1);
      expect(reset.count).toBe(1);
      expect(reset.resetMs).toBeGreaterThan(500);
      await a.del(k('rl'));
      await a.del(k('rl-other'));
    });

    it('hitWindow counts several hits in one step, starting the window with them', async () => {
      const first = await a.hitWindow(k('rl-many'), 30, 5);
      expect(first.count).toBe(5);
      expect(first.resetMs).toBeGreaterThan(29_000);
      const next = await b.hitWindow(k('rl-many'), 30, 3);
      expect(next.count).toBe(8);
      expect(next.resetMs).toBeLessThanOrEqual(first.resetMs);
      expect((await a.hitWindow(k('rl-many'), 30)).count).toBe(9);
      await a.del(k('rl-many'));
    });

    it('hitWindow gives a counter without expiry a window', async () => {
      await a.set(k('rl-plain'), '5');
      const hit = await a.hitWindow(k('rl-plain'), 30);
      expect(hit.count).toBe(6);
      expect(hit.resetMs).toBeGreaterThan(29_000);
      expect(hit.resetMs).toBeLessThanOrEqual(30_000);
      await a.del(k('rl-plain'));
    });

    it('delivers published messages to subscribers of the channel only, until they unsubscribe', async () => {
      const got1: string[] = [];
      const got2: string[] = [];
      const other: string[] = [];
      const off1 = await b.subscribe('news', (m) => got1.push(m));
      const off2 = await b.subscribe('news', (m) => got2.push(m));
      const offOther = await b.subscribe('other', (m) => other.push(m));
      await a.publish('news', 'hello');
      await a.publish('news', JSON.stringify({ computed_at: '2026-01-01T00:00:00Z' }));
      await expect.poll(() => [got1.length, got2.length], DELIVERY).toEqual([2, 2]);
      // Order is not part of the contract: on a Cluster each PUBLISH may enter at another node.
      const sent = ['hello', '{"computed_at":"2026-01-01T00:00:00Z"}'];
      expect([...got1].sort()).toEqual([...sent].sort());
      expect([...got2].sort()).toEqual([...sent].sort());
      expect(other).toEqual([]);

      await off1();
      await a.publish('news', 'after');
      await expect.poll(() => got2.length, DELIVERY).toBe(3);
      expect(got2[2]).toBe('after');
      expect(got1).toHaveLength(2);

      await off2();
      await a.publish('other', 'ping');
      await expect.poll(() => other.length, DELIVERY).toBe(1);
      await a.publish('news', 'nobody listens');
      await sleep(100);
      expect(got2).toHaveLength(3);
      await offOther();
    });

    it('keeps delivering when one handler throws', async () => {
      const got: string[] = [];
      const offBad = await b.subscribe('fragile', () => {
        throw new Error('handler bug');
      });
      const offGood = await b.subscribe('fragile', (m) => got.push(m));
      await a.publish('fragile', 'one');
      await a.publish('fragile', 'two');
      await expect.poll(() => got.length, DELIVERY).toBe(2);
      await offBad();
      await offGood();
    });

    slotContract(() => ({ a, b }));

    it('reports memory use (null in process)', async () => {
      const info = await a.memoryInfo();
      if (kind === 'memory') {
        expect(info).toBeNull();
      } else {
        expect(info?.usedBytes).toBeGreaterThan(100_000);
        expect(info?.maxBytes).toBeGreaterThanOrEqual(0);
      }
    });

    it('closes cleanly and no longer answers ping', async () => {
      const { a: first, close } = await open(`${keyPrefix}closing:`);
      await first.set('k', 'v', 60);
      await close();
      expect(await first.ping()).toBe(false);
    });
  });
}
