import { describe, expect, it } from 'vitest';
import { unverifiedEvents } from '../../test/helpers/unverified-events.js';
import { Aggregator } from './aggregator.js';
import type { CounterBuffer } from './counter-buffer.js';
import { takeOutRepeats } from './recount.js';

const at = Date.UTC(2026, 11, 5, 10, 30);
const nowSec = Math.floor(at / 1000);
const ev = unverifiedEvents('a'.repeat(64));
const BOB = 'b'.repeat(64);
const alice = (kind: number, tags: string[][], created: number) => ev(kind, tags, created);
const bob = (kind: number, tags: string[][], created: number) => ev(kind, tags, created, BOB);

/** Records `events` as the pipeline does for a won claim: copy, ledger, then the counts. */
function recordAll(events: ReturnType<typeof ev>[], relayId = 1): Aggregator {
  const a = new Aggregator();
  a.zapSink = { receipt: () => undefined, profile: () => undefined };
  for (const e of events) {
    a.recordCopy(relayId, e.kind, at, false);
    a.buffer.durable.count(e, at, relayId);
    if (e.created_at < nowSec - 3600) a.recordUntimely(e, at, 'late');
    else a.recordUnique(e, at);
  }
  return a;
}

/** The counters of a buffer, without its ledger (which differs by construction). */
function counts(b: CounterBuffer) {
  const rows = <T>(m: Map<string, T>) => [...m].sort(([x], [y]) => (x < y ? -1 : 1));
  return {
    events: b.events,
    network: rows(b.network),
    clients: rows(b.clients),
    clientUsers: rows(b.clientUsers).map(([k, r]) => [k, r.events]),
    pubkeys: rows(b.pubkeys).map(([k, r]) => [k, r.events]),
    active: rows(b.activeHourly),
    articles: rows(b.articles).map(([k, r]) => [k, r.events]),
    untimely: rows(b.filtered.untimely),
    deletions: rows(b.filtered.deletions),
  };
}

describe('takeOutRepeats', () => {
  it('leaves exactly the counts of the events that were not counted before', () => {
    const kept = [
      alice(1, [['client', 'Damus']], nowSec),
      bob(30023, [['d', 'post']], nowSec),
      alice(7, [], nowSec - 7200),
    ];
    const repeats = [
      bob(1, [['client', 'Damus']], nowSec),
      bob(1, [['client', 'Amethyst']], nowSec),
      alice(30023, [['d', 'other']], nowSec),
      bob(5, [['e', 'c'.repeat(64)]], nowSec),
      bob(7, [], nowSec - 7200),
    ];
    const truth = recordAll(kept);
    const mixed = recordAll([...kept, ...repeats]);
    const repeated = mixed.buffer.durable.counted
      .all()
      .filter((c) => repeats.some((r) => r.id === c.event.id));
    expect(repeated).toHaveLength(repeats.length);

    takeOutRepeats(mixed.buffer, repeated);

    expect(counts(mixed.buffer)).toEqual(counts(truth.buffer));
    expect(mixed.buffer.durable.counted.all().map((c) => c.event.id)).toEqual(kept.map((e) => e.id));
    // The relay's copies stay credited; the repeated ones are its duplicates now.
    const relayRows = [...mixed.buffer.relayKind.values()];
    expect(relayRows.reduce((n, r) => n + r.events, 0)).toBe(kept.length + repeats.length);
    expect(relayRows.reduce((n, r) => n + r.duplicates, 0)).toBe(repeats.length);
  });
});
