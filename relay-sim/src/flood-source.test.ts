import { describe, expect, it } from 'vitest';
import { CopyLedger } from './copy-ledger.js';
import { makeEvent } from './fixtures.js';
import { FloodSource } from './flood-source.js';
import { EventRegistry } from './registry.js';

const corpus = [0, 1, 2, 3].map((i) =>
  makeEvent({ kind: 1, keyIndex: i, content: `n${i}`, created_at: 1000 }),
);

describe('FloodSource', () => {
  it('offers each corpus event not yet delivered, in the copy state the relay holds', () => {
    const registry = EventRegistry.fromCorpus(corpus);
    const ledger = new CopyLedger();
    ledger.recordEmitted(0, 'bad-sig');
    ledger.recordEmitted(1, 'valid');
    ledger.recordDelivered(1, 'valid');
    const source = new FloodSource(registry, 7, ledger);
    const offered = [source.next(), source.next(), source.next()];
    expect(offered.map((c) => (typeof c === 'string' ? c : [c.index, c.state]))).toEqual([
      [0, 'bad-sig'],
      [2, 'valid'],
      [3, 'valid'],
    ]);
    // Corpus events it had not held before now count as emitted, valid.
    expect([...ledger.emitted]).toEqual([
      [0, 'bad-sig'],
      [1, 'valid'],
      [2, 'valid'],
      [3, 'valid'],
    ]);
    const first = offered[0];
    expect(typeof first === 'string' ? '' : first?.json).toBe(registry.copyJson(0, 'bad-sig'));
  });

  it('then makes junk kind-1 events with ids unique per relay that are not hashes', () => {
    const registry = EventRegistry.fromCorpus(corpus);
    const a = new FloodSource(registry, 1, new CopyLedger());
    const b = new FloodSource(registry, 2, new CopyLedger());
    for (let i = 0; i < corpus.length; i++) {
      a.next();
      b.next();
    }
    const junk = [a.next(), a.next(), b.next()].map((j) => {
      if (typeof j !== 'string') throw new Error(`expected junk, got corpus event ${j.index}`);
      return JSON.parse(j) as { id: string; kind: number; sig: string };
    });
    expect(junk.every((j) => /^[0-9a-f]{64}$/.test(j.id) && j.kind === 1)).toBe(true);
    expect(new Set(junk.map((j) => j.id)).size).toBe(3);
    expect(junk[0]?.sig).toBe('0'.repeat(128));
  });
});
