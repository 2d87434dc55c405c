import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RelaySeen } from './relay-seen.js';

/** A realistic event id (SHA-256 hex) for a label. */
const id = (label: string | number) => createHash('sha256').update(String(label)).digest('hex');

/** Every id in `entries` with created_at >= since is recognised (the resume invariant). */
function coversFrom(seen: RelaySeen, entries: [string, number][], since: number): boolean {
  return entries.every(([i, t]) => t < since || seen.has(i));
}

describe('RelaySeen', () => {
  it('resumes a lookback behind the gap and still recognises every re-sent id', () => {
    const seen = new RelaySeen({ capacity: 1000, lookbackSeconds: 60, now: () => 1_100_000 });
    const entries: [string, number][] = [];
    for (let t = 1000; t < 1100; t++) entries.push([id(t), t]);
    for (const [i, t] of entries) seen.add(i, t);
    const { since, capped } = seen.resumeSince(1100);
    expect(since).toBe(1040);
    expect(capped).toBe(false);
    expect(coversFrom(seen, entries, since)).toBe(true);
    // What can no longer be re-sent is forgotten.
    expect(seen.size).toBe(60);
    expect(seen.has(id(1000))).toBe(false);
  });

  it('never resumes below what it still remembers when capacity evicts, and says so', () => {
    const seen = new RelaySeen({ capacity: 10, lookbackSeconds: 3600, now: () => 1_050_000 });
    const entries: [string, number][] = [];
    for (let t = 0; t < 50; t++) entries.push([id(t), 1000 + t]);
    for (const [i, t] of entries) seen.add(i, t);
    expect(seen.size).toBeLessThanOrEqual(10);
    expect(seen.evicted).toBeGreaterThanOrEqual(40);
    const { since, capped } = seen.resumeSince(1050);
    expect(capped).toBe(true);
    expect(seen.cappedResumes).toBe(1);
    expect(since).toBeGreaterThanOrEqual(1040);
    expect(since).toBeLessThanOrEqual(1049);
    expect(coversFrom(seen, entries, since)).toBe(true);
  });

  it('shrinks to a smaller share at once: the oldest go, memory comes back, the resume is capped', () => {
    const seen = new RelaySeen({ capacity: 4096, lookbackSeconds: 3600, now: () => 5_000_000 });
    const entries: [string, number][] = [];
    for (let t = 0; t < 3000; t++) entries.push([id(`s${t}`), 4000 + t]);
    for (const [i, t] of entries) seen.add(i, t);
    const bytesBefore = seen.bytes;
    seen.setCapacity(1000);
    expect(seen.limit).toBe(1000);
    expect(seen.size).toBeLessThanOrEqual(1000);
    expect(seen.size).toBeGreaterThanOrEqual(800);
    expect(seen.bytes).toBeLessThanOrEqual(bytesBefore / 2);
    // Newest kept, oldest forgotten.
    expect(seen.has(id('s2999'))).toBe(true);
    expect(seen.has(id('s0'))).toBe(false);
    const { since, capped } = seen.resumeSince(7000);
    expect(capped).toBe(true);
    expect(coversFrom(seen, entries, since)).toBe(true);
    // Growing the share again lets it hold more.
    seen.setCapacity(4096);
    for (let t = 0; t < 3000; t++) seen.add(id(`n${t}`), 7000 + t);
    expect(seen.size).toBeGreaterThan(3000);
  });

  it('evicts the oldest created_at first, whatever the arrival order', () => {
    const seen = new RelaySeen({ capacity: 3, lookbackSeconds: 3600, now: () => 2_100_000 });
    seen.add(id('late'), 2000);
    seen.add(id('old'), 500); // a late-published event with an old timestamp
    seen.add(id('a'), 1500);
    seen.add(id('b'), 1600); // full: "old" (created_at 500) goes, the floor rises to 501
    expect(seen.has(id('old'))).toBe(false);
    for (const label of ['late', 'a', 'b']) expect(seen.has(id(label))).toBe(true);
    expect(seen.resumeSince(2100).since).toBe(501);
  });

  it('keeps late-published ids inside the lookback and skips older ones', () => {
    const seen = new RelaySeen({ capacity: 100, lookbackSeconds: 600, now: () => 10_000_000 });
    seen.resumeSince(9000); // floor 8400
    seen.add(id('backdated'), 8500);
    seen.add(id('too-old'), 8000);
    expect(seen.has(id('backdated'))).toBe(true);
    expect(seen.has(id('too-old'))).toBe(false);
  });

  it('forgets history older than the lookback behind the live stream as it grows', () => {
    let nowMs = 0;
    const seen = new RelaySeen({ capacity: 100_000, lookbackSeconds: 100, now: () => nowMs });
    // Ten ids a second for an hour: the set holds about the last lookback, not the hour.
    for (let s = 0; s < 3600; s++) {
      nowMs = (10_000 + s) * 1000;
      for (let k = 0; k < 10; k++) seen.add(id(`${s}:${k}`), 10_000 + s);
    }
    expect(seen.size).toBeLessThanOrEqual(2 * 100 * 10);
    expect(seen.size).toBeGreaterThanOrEqual(100 * 10);
    const { since, capped } = seen.resumeSince(13_600);
    expect(capped).toBe(false);
    expect(since).toBe(13_500);
    for (let s = since - 10_000; s < 3600; s++) expect(seen.has(id(`${s}:0`))).toBe(true);
  });

  it('ignores ids that are not lowercase hex and never confuses different ids', () => {
    const seen = new RelaySeen({ now: () => 0 });
    seen.add('x'.repeat(64), 1);
    seen.add(id(1).toUpperCase(), 1);
    expect(seen.size).toBe(0);
    const ids = Array.from({ length: 5000 }, (_, i) => id(`k${i}`));
    for (const i of ids.slice(0, 2500)) seen.add(i, 5);
    expect(ids.slice(0, 2500).every((i) => seen.has(i))).toBe(true);
    expect(ids.slice(2500).some((i) => seen.has(i))).toBe(false);
  });

  it('hands its state over exactly, and reads checkpoints with full hex ids', () => {
    const a = new RelaySeen({ lookbackSeconds: 300, now: () => 2_000_000 });
    const entries: [string, number][] = [];
    for (let t = 0; t < 300; t++) entries.push([id(t), 1700 + t]);
    for (const [i, t] of entries) a.add(i, t);
    expect(a.resumeSince(2000).since).toBe(1700); // nothing forgotten
    const state = JSON.parse(JSON.stringify(a.export()));
    const b = new RelaySeen({ lookbackSeconds: 300 });
    b.import(state);
    expect(b.size).toBe(300);
    expect(entries.every(([i]) => b.has(i))).toBe(true);
    expect(b.resumeSince(2000).since).toBe(1700);

    const legacy = new RelaySeen({ lookbackSeconds: 3600 });
    legacy.import({ floor: 1900, ids: entries });
    expect(legacy.size).toBe(100);
    expect(legacy.has(id(250))).toBe(true);
    expect(legacy.has(id(150))).toBe(false);
    expect(legacy.resumeSince(1950).since).toBe(1900);
  });
});
