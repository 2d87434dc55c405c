import { describe, expect, it } from 'vitest';
import { unverifiedEvents } from '../../test/helpers/unverified-events.js';
import { Aggregator } from './aggregator.js';
import { hourOf, slotOf } from './buckets.js';
import { UNKNOWN_KIND } from './filter-counters.js';

const PK = 'a'.repeat(64);
const at = Date.UTC(2026, 11, 5, 11, 30);
const ev = unverifiedEvents(PK);

describe('FilterCounters through the Aggregator', () => {
  it('counts a late or future event apart and moves only state', () => {
    const a = new Aggregator();
    const profile = ev(0, [], 50);
    a.recordUntimely(profile, at, 'late');
    a.recordUntimely(ev(1), at, 'future');
    a.recordUntimely(ev(30023, [['d', 'x']]), at, 'late');
    const b = a.buffer;
    const hour = hourOf(at);
    const slot = slotOf(at);
    expect(b.filtered.untimely.get(`${slot}|0`)).toEqual({ hour, slot, kind: 0, late: 1, future: 0 });
    expect(b.filtered.untimely.get(`${slot}|1`)).toEqual({ hour, slot, kind: 1, late: 0, future: 1 });
    expect(b.replaceable.get(`0|${PK}`)?.eventId).toBe(profile.id);
    expect(b.network.size + b.pubkeys.size + b.activeHourly.size + b.articles.size).toBe(0);
    expect(b.events).toBe(0);
  });

  it('counts deletions by kind in time only, and keeps their requests always', () => {
    const a = new Aggregator();
    const hour = hourOf(at);
    const slot = slotOf(at);
    a.recordUnique(
      ev(
        5,
        [
          ['a', `30023:${PK}:post`],
          ['k', '30023'],
        ],
        200,
      ),
      at,
    );
    a.recordUnique(ev(5, [['e', 'e'.repeat(64)]], 300), at);
    a.recordUntimely(
      ev(
        5,
        [
          ['a', `30023:${PK}:post`],
          ['k', '1'],
        ],
        400,
      ),
      at,
      'late',
    );
    const f = a.buffer.filtered;
    expect([...f.deletions.values()]).toEqual([
      { hour, slot, kind: 30023, deletions: 1 },
      { hour, slot, kind: UNKNOWN_KIND, deletions: 1 },
    ]);
    expect(f.articleDeletions.get(`${PK}|post`)?.deletedUntil).toBe(400_000);
    expect([...f.eventDeletions.values()]).toEqual([{ eventId: 'e'.repeat(64), pubkey: PK }]);
  });

  it('merges a failed buffer back additively', () => {
    const a = new Aggregator();
    a.buffer.filtered.addOffFilter('h', 1, 'kind');
    const failed = a.take();
    a.buffer.filtered.addOffFilter('h', 1, 'kind', 2);
    a.restore(failed);
    expect(a.buffer.filtered.offFilter.get('h|1|kind')?.copies).toBe(3);
    expect(a.buffer.keys).toBe(1);
  });

  it('keeps the latest article version id (newest created_at, ties to the lowest id)', () => {
    const a = new Aggregator();
    const older = ev(30023, [['d', 'p']], 100);
    const newer = ev(30023, [['d', 'p']], 200);
    const tie = { ...ev(30023, [['d', 'p']], 200), id: '0'.repeat(64) };
    a.recordUnique(newer, at);
    a.recordUnique(older, at);
    expect(a.buffer.articles.get(`${PK}|p`)?.latestEventId).toBe(newer.id);
    a.recordUnique(tie, at);
    expect(a.buffer.articles.get(`${PK}|p`)?.latestEventId).toBe(tie.id);
  });
});
