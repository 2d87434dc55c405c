import { describe, expect, it } from 'vitest';
import { corruptSignature, makeEvent } from './fixtures.js';
import { EventRegistry } from './registry.js';
import type { RelayCounters, RelayLedger } from './relay-ledger.js';
import { relayTruth } from './relay-truth.js';
import type { CopyState } from './types.js';

const counters: RelayCounters = {
  eventFrames: 9,
  garbageFrames: 0,
  oversizedFrames: 0,
  closedSent: 1,
  noticesSent: 0,
  floodJunk: 0,
  authChallenges: 0,
  droppedSlowConsumer: 0,
  reqsReceived: 1,
  eoseSent: 1,
  pongsSent: 0,
  lastReqAnswer: 'eose',
};

function ledger(
  emitted: [number, CopyState][],
  delivered: [number, CopyState][],
  floodJunk = 0,
): RelayLedger {
  return {
    url: 'ws://r',
    mode: 'normal',
    emitted: new Map(emitted),
    delivered: new Map(delivered),
    counters: { ...counters, floodJunk },
  };
}

describe('relayTruth', () => {
  const registry = new EventRegistry();
  const note = makeEvent({ kind: 1, content: 'a', created_at: 1 });
  const reaction = makeEvent({ kind: 7, content: '+', created_at: 1 });
  const brokenOnly = corruptSignature(makeEvent({ kind: 1, content: 'b', created_at: 1 }));
  const [n, r, b] = [registry.add(note, true), registry.add(reaction, true), registry.add(brokenOnly, false)];

  it('counts the copies in scope by kind, valid apart from broken signatures and ids', () => {
    const copies: [number, CopyState][] = [
      [n, 'valid'],
      [r, 'bad-id'],
      [b, 'valid'],
    ];
    const { truth, valid, invalid } = relayTruth(registry, ledger(copies, []), 'emitted');
    expect(truth).toMatchObject({
      url: 'ws://r',
      validByKind: { 1: 1 },
      valid: 1,
      // A copy passed on intact is still invalid when the network knows no valid body for its id.
      invalidByKind: { 1: 1, 7: 1 },
      invalid: 2,
      invalidById: 1,
      invalidBySignature: 1,
      eventFrames: 9,
      closedSent: 1,
    });
    expect(valid).toEqual([n]);
    expect(invalid).toEqual([r, b]);
  });

  it('reads delivered copies in scope delivered', () => {
    const { truth } = relayTruth(registry, ledger([[n, 'valid']], [[r, 'bad-sig']]), 'delivered');
    expect(truth).toMatchObject({ valid: 0, invalid: 1, invalidBySignature: 1, invalidByKind: { 7: 1 } });
  });

  it('counts flood junk as invalid kind-1 copies with a broken id', () => {
    const { truth, invalid } = relayTruth(registry, ledger([[n, 'bad-id']], [], 5), 'emitted');
    expect(truth).toMatchObject({ invalid: 6, invalidById: 6, invalidByKind: { 1: 6 }, floodJunk: 5 });
    expect(invalid).toEqual([n]);
  });
});
