import { describe, expect, it } from 'vitest';
import { MAX_PAGES, PAGE_LIMIT, ReplayPager } from './replay-pager.js';

interface Stored {
  id: string;
  created_at: number;
}
interface Filter {
  since?: number;
  until?: number;
  limit?: number;
}

/** A relay's answer to a REQ as NIP-01 describes it: newest first, cut at its limit. */
function answer(
  stored: Stored[],
  f: Filter,
  relayLimit: number,
  honoursUntil = true,
  clamp = relayLimit * 10,
): Stored[] {
  return stored
    .filter(
      (e) =>
        (f.since === undefined || e.created_at >= f.since) &&
        (!honoursUntil || f.until === undefined || e.created_at <= f.until),
    )
    .sort((a, b) => b.created_at - a.created_at || a.id.localeCompare(b.id))
    .slice(0, Math.min(f.limit ?? relayLimit, clamp));
}

const frame = (sub: string, e: Stored) =>
  Buffer.from(
    `["EVENT",${JSON.stringify(sub)},{"id":"${e.id}","pubkey":"p","created_at":${e.created_at},"kind":1,"tags":[],"content":"","sig":"s"}]`,
  );

/** Drives a resumed replay through the pager; returns the ids delivered and the REQs sent. */
function replay(
  stored: Stored[],
  since: number,
  relayLimit: number,
  {
    honoursUntil = true,
    clamp = relayLimit * 10,
    floor = (): number => 0,
  }: { honoursUntil?: boolean; clamp?: number; floor?: () => number } = {},
) {
  const pager = new ReplayPager();
  const delivered = new Set<string>();
  const reqs: Filter[] = [];
  const closes: string[] = [];
  let sub = 'ni2';
  let filter: Filter = { since };
  pager.begin(sub, { kinds: [1], since });
  for (let guard = 0; guard < MAX_PAGES + 5; guard++) {
    for (const e of answer(stored, filter, relayLimit, honoursUntil, clamp)) {
      delivered.add(e.id);
      pager.note(frame(sub, e));
    }
    // A live event on the main subscription meanwhile never moves the page bound.
    if (sub !== 'ni2') pager.note(frame('ni2', { id: 'live', created_at: 1 }));
    const step = pager.eose(sub, floor());
    expect(step).toBeDefined();
    if (step?.close) closes.push(step.close);
    if (step?.done) return { delivered, reqs, closes, done: step.done, pager };
    const [, nextSub, nextFilter] = JSON.parse(step?.req ?? 'null') as [string, string, Filter];
    reqs.push(nextFilter);
    sub = nextSub;
    filter = nextFilter;
  }
  throw new Error('paging did not end');
}

const events = (n: number, newest: number, perSecond = 1): Stored[] =>
  Array.from({ length: n }, (_, i) => ({
    id: i.toString(16).padStart(64, '0'),
    created_at: newest - Math.floor(i / perSecond),
  }));

describe('ReplayPager', () => {
  it('pages a replay cut at the relay limit back to since, asking with until and a limit', () => {
    const stored = events(350, 10_000);
    const { delivered, reqs, closes, done } = replay(stored, 9_000, 100);
    expect(delivered.size).toBe(350);
    expect(done.truncated).toBe(false);
    expect(reqs[0]).toMatchObject({ since: 9_000, until: 9_901, limit: PAGE_LIMIT });
    // Every page sub is closed when its EOSE arrives; the main subscription stays open.
    expect(closes.length).toBe(reqs.length);
    expect(closes.every((c) => !c.includes('"ni2"'))).toBe(true);
  });

  it('keeps events that share the second a page was cut at', () => {
    const stored = events(400, 10_000, 7);
    const { delivered, done } = replay(stored, 0, 100);
    expect(delivered.size).toBe(400);
    expect(done.truncated).toBe(false);
  });

  it('costs one extra REQ when the replay was complete, none when it was empty', () => {
    expect(replay(events(40, 10_000), 9_000, 100).reqs.length).toBe(1);
    expect(replay([], 9_000, 100).reqs.length).toBe(0);
  });

  it('stops when a relay ignores until, and says so when one second holds more than a page', () => {
    // The first page brings events newer than its `until`: the relay ignores it, stop there.
    const ignoring = replay(events(350, 10_000), 9_000, 100, { honoursUntil: false });
    expect(ignoring.reqs.length).toBe(1);
    expect(ignoring.done.truncated).toBe(true);
    const flood = replay(events(2_000, 10_000, 2_000), 0, 100);
    expect(flood.done.truncated).toBe(true);
    expect(flood.delivered.size).toBeLessThan(2_000);
  });

  it('skips a second holding more than the relay returns at once, and pages on below it', () => {
    // 150 events in the newest second, 200 older ones; the relay clamps every answer to 100.
    const stored = [
      ...events(150, 10_000, 150),
      ...events(200, 9_999).map((e, i) => ({ ...e, id: `o${i}` })),
    ];
    const { delivered, done } = replay(stored, 9_000, 100, { clamp: 100 });
    expect(done.truncated).toBe(true);
    for (let i = 0; i < 200; i++) expect(delivered.has(`o${i}`)).toBe(true);
    expect(delivered.size).toBeGreaterThanOrEqual(300);
  });

  it('never asks below the seen-set floor, and says so when the window reaches under it', () => {
    const stored = events(350, 10_000);
    const { reqs, done, delivered } = replay(stored, 9_000, 100, { floor: () => 9_800 });
    expect(reqs.every((f) => (f.since ?? 0) >= 9_800)).toBe(true);
    expect(done.truncated).toBe(true);
    expect([...delivered].length).toBeLessThan(350);
    // A floor below since changes nothing.
    expect(replay(stored, 9_000, 100, { floor: () => 8_000 }).done.truncated).toBe(false);
  });

  it('does not page beside the live subscription when the relay allows only one', () => {
    const pager = new ReplayPager();
    pager.begin('ni4', { since: 1 }, false);
    pager.note(frame('ni4', { id: 'a', created_at: 5 }));
    expect(pager.eose('ni4')).toEqual({ done: { pages: 0, truncated: true } });
    // Nothing replayed: nothing missed.
    pager.begin('ni5', { since: 1 }, false);
    expect(pager.eose('ni5')).toEqual({ done: { pages: 0, truncated: false } });
  });

  it('ignores EOSE of other subscriptions and ends on CLOSED', () => {
    const pager = new ReplayPager();
    pager.begin('ni3', { since: 1 });
    expect(pager.eose('ni2')).toBeUndefined();
    pager.note(frame('ni3', { id: 'a', created_at: 5 }));
    expect(pager.eose('ni3')?.req).toContain('"ni3p1"');
    expect(pager.closed('ni3p1')).toEqual({ pages: 1, truncated: true });
    expect(pager.active).toBe(false);
    // The main subscription closed before its EOSE: no verdict (it is asked again).
    pager.begin('ni6', { since: 1 });
    expect(pager.closed('ni6')).toBeUndefined();
    // A new replay on the same socket closes a page still open.
    pager.begin('ni7', { since: 1 });
    pager.note(frame('ni7', { id: 'b', created_at: 5 }));
    pager.eose('ni7');
    expect(pager.begin('ni8', { since: 1 })).toBe('["CLOSE","ni7p1"]');
  });

  it('reads the subscription id with spaces around the comma', () => {
    const pager = new ReplayPager();
    pager.begin('ni9', { since: 1 });
    pager.note(Buffer.from('["EVENT", "ni9", {"id":"x","created_at":7}]'));
    pager.note(Buffer.from('["EVENT" ,"ni9p",{"id":"y","created_at":3}]'));
    expect(pager.eose('ni9')?.req).toContain('"until":7');
  });
});
