import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RelaySeen } from './relay-seen.js';
import { MIN_SEEN_CAPACITY, SeenBudget, seenCapacity, shareSeen } from './seen-budget.js';
import { MAX_SEEN_CAPACITY, tableBytes } from './seen-table.js';

const id = (label: string) => createHash('sha256').update(label).digest('hex');
const MiB = 1024 * 1024;

/** Sets on one fake clock; `feed` adds `perSet(i)` fresh ids to each set over `seconds`. */
function world(count: number, lookbackSeconds = 900) {
  let ms = 1_000_000_000;
  const now = () => ms;
  const sets = Array.from({ length: count }, () => ({
    seen: new RelaySeen({ capacity: 192, lookbackSeconds, now }),
    started: true,
  }));
  let serial = 0;
  return {
    sets,
    now,
    feed(seconds: number, perSet: (i: number) => number) {
      ms += seconds * 1000;
      sets.forEach((s, i) => {
        for (let k = 0; k < perSet(i); k++) s.seen.add(id(`e${serial++}`), Math.floor(ms / 1000) - (k % 60));
      });
    },
    total: () => sets.reduce((n, s) => n + tableBytes(s.seen.limit), 0),
  };
}

describe('SeenBudget', () => {
  it('gives busy relays equal, stable shares however noisy their rates (no trading of ids)', () => {
    const w = world(240);
    const budget = new SeenBudget(12 * MiB, 900, w.now);
    let shrinks = 0;
    for (let tick = 0; tick < 20; tick++) {
      const before = w.sets.map((s) => s.seen.limit);
      w.feed(5, (i) => 90 + ((i * 7 + tick * 13) % 21));
      budget.rebalance(w.sets);
      w.sets.forEach((s, i) => {
        if (s.seen.limit < (before[i] as number)) shrinks += 1;
      });
      expect(w.total()).toBeLessThanOrEqual(12 * MiB);
    }
    expect(shrinks).toBe(0);
    for (const s of w.sets) expect(s.seen.limit).toBeGreaterThanOrEqual(seenCapacity(240, 12 * MiB));
  });

  it('leaves busy relays what quiet ones do not need', () => {
    const w = world(2000);
    const budget = new SeenBudget(12 * MiB, 900, w.now);
    for (let tick = 0; tick < 6; tick++) {
      w.feed(5, (i) => (i < 10 ? 200 : tick % 3 === 0 ? 1 : 0));
      budget.rebalance(w.sets);
      expect(w.total()).toBeLessThanOrEqual(12 * MiB);
    }
    // An equal share is 384 ids; the ten busy relays get the most a set keeps.
    for (const s of w.sets.slice(0, 10)) expect(s.seen.limit).toBe(12_288);
    for (const s of w.sets.slice(10)) expect(s.seen.limit).toBeGreaterThanOrEqual(s.seen.size);
  });

  it('keeps a handed-over checkpoint: no share cut before start, nothing evicted after', () => {
    const w = world(240);
    const budget = new SeenBudget(12 * MiB, 900, w.now);
    const waiting = w.sets[0] as (typeof w.sets)[number];
    waiting.started = false;
    for (let tick = 0; tick < 3; tick++) {
      w.feed(5, (i) => (i === 0 ? 0 : 100));
      budget.rebalance(w.sets);
    }
    expect(waiting.seen.limit).toBeGreaterThanOrEqual(seenCapacity(240, 12 * MiB));
    // The checkpoint arrives: 3,000 ids; the connection starts and is quiet for a while.
    const other = new RelaySeen({ lookbackSeconds: 900, now: w.now });
    for (let k = 0; k < 3000; k++) other.add(id(`cp${k}`), Math.floor(w.now() / 1000) - (k % 600));
    waiting.seen.import(other.export());
    waiting.started = true;
    for (let tick = 0; tick < 10; tick++) {
      w.feed(5, (i) => (i === 0 ? 0 : 100));
      budget.rebalance(w.sets);
    }
    expect(waiting.seen.size).toBe(3000);
    expect(waiting.seen.evicted).toBe(0);
  });

  it('lets ids older than the look-back go, so a relay that calmed down gives memory back', () => {
    const w = world(2, 60);
    const budget = new SeenBudget(1 * MiB, 60, w.now);
    w.feed(5, () => 2000);
    budget.rebalance(w.sets);
    const busyBytes = w.sets[0]?.seen.bytes ?? 0;
    // Two minutes later one more id arrives: everything older than a minute behind it goes.
    w.feed(120, () => 1);
    budget.rebalance(w.sets);
    expect(w.sets[0]?.seen.size).toBe(1);
    expect(w.sets[0]?.seen.bytes).toBeLessThan(busyBytes / 8);
  });
});

describe('seenCapacity and shareSeen', () => {
  it('shares a memory budget: every table fits it, down to a floor per relay', () => {
    const budget = 24 * 1024 * 1024;
    expect(seenCapacity(1, budget)).toBe(MAX_SEEN_CAPACITY);
    for (const relays of [1, 10, 240, 241, 1000, 2000, 5000]) {
      const capacity = seenCapacity(relays, budget);
      const seen = new RelaySeen({ capacity, lookbackSeconds: 3600, now: () => 9_000_000 });
      for (let t = 0; t < capacity * 2; t++) seen.add(id(`${relays}:${t}`), 8000 + t);
      expect(seen.size).toBeLessThanOrEqual(capacity);
      if (capacity > MIN_SEEN_CAPACITY) expect(seen.bytes * relays).toBeLessThanOrEqual(budget);
    }
    // More relays never get a bigger share.
    expect(seenCapacity(2000, budget)).toBeLessThan(seenCapacity(240, budget));
    expect(seenCapacity(1_000_000, budget)).toBe(MIN_SEEN_CAPACITY);
  });

  it('shares the budget by need: quiet relays keep what they need, busy ones get the rest', () => {
    const budget = 16 * 1024 * 1024;
    const tableBytes = (capacity: number) => {
      const seen = new RelaySeen({ capacity, lookbackSeconds: 3600, now: () => 9_000_000 });
      for (let t = 0; t < capacity; t++) seen.add(id(`t${capacity}:${t}`), 8000 + t);
      return seen.bytes;
    };
    // 1,990 quiet relays needing 100 ids and 10 busy ones needing 50,000: an equal share would
    // give every relay 384 ids; by need, the busy ones get the most a set keeps.
    const needs = [...Array(1990).fill(100), ...Array(10).fill(50_000)];
    const capacities = shareSeen(needs, budget);
    expect(seenCapacity(2000, budget)).toBe(384);
    for (const c of capacities.slice(0, 1990)) expect(c).toBeGreaterThanOrEqual(100);
    for (const c of capacities.slice(1990)) expect(c).toBe(MAX_SEEN_CAPACITY);
    const sizes = new Map<number, number>();
    let total = 0;
    for (const c of capacities) {
      if (!sizes.has(c)) sizes.set(c, tableBytes(c));
      total += sizes.get(c) as number;
    }
    expect(total).toBeLessThanOrEqual(budget);
    // Unknown or large needs: at least an equal share each (what rounding leaves over goes to
    // the last ones), all within the budget.
    for (const need of [Number.POSITIVE_INFINITY, 1e9]) {
      const equal = shareSeen(Array(240).fill(need), budget);
      for (const c of equal) expect(c).toBeGreaterThanOrEqual(seenCapacity(240, budget));
      expect(equal.reduce((n, c) => n + (sizes.get(c) ?? tableBytes(c)), 0)).toBeLessThanOrEqual(budget);
    }
  });
});
