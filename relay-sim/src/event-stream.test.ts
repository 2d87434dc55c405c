import { describe, expect, it } from 'vitest';
import { EventStream, type StreamTarget } from './event-stream.js';
import { makeEvent } from './fixtures.js';
import { EventRegistry } from './registry.js';
import type { CopyState } from './types.js';

const corpus = Array.from({ length: 40 }, (_, i) =>
  makeEvent({ kind: 1, keyIndex: i % 4, content: `${i}`, created_at: 1 }),
);

class FakeRelay implements StreamTarget {
  readonly emitted = new Map<number, CopyState>();
  readonly json = new Map<number, string>();
  accept(index: number, state: CopyState, json: string): boolean {
    if (this.emitted.has(index)) return false;
    this.emitted.set(index, state);
    this.json.set(index, json);
    return true;
  }
}

const settings = { copies: 3, multiRelayShare: 0.5, invalidSigShare: 0.1, invalidIdShare: 0.1 };

function run(seed: string, n: number, s = settings, relays = 6) {
  const registry = EventRegistry.fromCorpus(corpus);
  const targets = Array.from({ length: relays }, () => new FakeRelay());
  const stream = new EventStream(registry, targets, s, seed);
  stream.emit(n);
  return { registry, targets, stream, placed: targets.map((t) => [...t.emitted]) };
}

describe('EventStream', () => {
  it('places the same copies on the same relays for the same seed', () => {
    expect(run('a', 30).placed).toEqual(run('a', 30).placed);
    expect(run('b', 30).placed).not.toEqual(run('a', 30).placed);
  });

  it('sends a multi-relay event to `copies` relays and the others to one', () => {
    const spread = (s: typeof settings): number[] => {
      const { targets } = run('spread', corpus.length, s);
      return corpus.map((_, i) => targets.filter((t) => t.emitted.has(i)).length);
    };
    expect(new Set(spread({ ...settings, multiRelayShare: 1 }))).toEqual(new Set([3]));
    expect(new Set(spread({ ...settings, multiRelayShare: 0 }))).toEqual(new Set([1]));
  });

  it('breaks copies with their shares, each with its wire form', () => {
    const states = (s: typeof settings): Set<CopyState> =>
      new Set(run('states', 20, s).targets.flatMap((t) => [...t.emitted.values()]));
    expect(states({ ...settings, invalidSigShare: 1, invalidIdShare: 0 })).toEqual(new Set(['bad-sig']));
    expect(states({ ...settings, invalidSigShare: 0, invalidIdShare: 1 })).toEqual(new Set(['bad-id']));
    expect(states({ ...settings, invalidSigShare: 0, invalidIdShare: 0 })).toEqual(new Set(['valid']));
    const { registry, targets } = run('states', 20);
    for (const t of targets)
      for (const [index, state] of t.emitted) expect(t.json.get(index)).toBe(registry.copyJson(index, state));
  });

  it('counts copies and unique events, and nothing once every relay holds the corpus', () => {
    const all = { ...settings, copies: 2, multiRelayShare: 1 };
    const { stream, targets } = run('wrap', corpus.length, all, 2);
    expect(stream.uniqueEmitted).toBe(corpus.length);
    expect(stream.copiesEmitted).toBe(2 * corpus.length);
    stream.emit(corpus.length);
    expect(stream.uniqueEmitted).toBe(corpus.length);
    expect(targets.map((t) => t.emitted.size)).toEqual([corpus.length, corpus.length]);
  });
});
