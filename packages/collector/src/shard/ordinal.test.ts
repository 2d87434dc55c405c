import { ownerOf } from '@nostr-info/shared/relay';
import { describe, expect, it } from 'vitest';
import { OrdinalError, resolveOrdinal } from './ordinal.js';
import { StatefulSetReplicas } from './replica-count.js';

describe('resolveOrdinal', () => {
  it('reads the StatefulSet ordinal from the pod name, with an override', () => {
    expect(resolveOrdinal('nostr-info-collector-3', undefined)).toBe(3);
    expect(resolveOrdinal('nostr-info-collector-3', 1)).toBe(1);
    expect(resolveOrdinal(undefined, undefined)).toBe(0);
    expect(() => resolveOrdinal('collector', undefined)).toThrow(OrdinalError);
  });
});

describe('StatefulSetReplicas (fed a watch event stream)', () => {
  it('follows spec.replicas of the named StatefulSet only', () => {
    const source = new StatefulSetReplicas('collector', 2);
    expect(source.current).toBe(2);
    source.apply('ADDED', { metadata: { name: 'collector' }, spec: { replicas: 3 } });
    expect(source.current).toBe(3);
    source.apply('MODIFIED', { metadata: { name: 'other' }, spec: { replicas: 9 } });
    source.apply('BOOKMARK', { metadata: { name: 'collector' }, spec: { replicas: 7 } });
    source.apply('MODIFIED', { metadata: { name: 'collector' }, spec: { replicas: 0 } });
    source.apply('DELETED', { metadata: { name: 'collector' }, spec: { replicas: 5 } });
    expect(source.current).toBe(3);
    source.apply('MODIFIED', { metadata: { name: 'collector' }, spec: { replicas: 4 } });
    expect(source.current).toBe(4);
  });
});

describe('sharding by jump hash', () => {
  const urls = Array.from({ length: 240 }, (_, i) => `wss://relay${i}.example.com`);

  it('assigns every relay to exactly one of N replicas', () => {
    const owners = urls.map((u) => ownerOf(u, 3));
    expect(new Set(owners)).toEqual(new Set([0, 1, 2]));
    for (const o of owners) expect(o).toBeGreaterThanOrEqual(0);
  });

  it('moves about a quarter of the relays, all to the new replica, when scaling 3 → 4', () => {
    const moved = urls.filter((u) => ownerOf(u, 3) !== ownerOf(u, 4));
    expect(moved.length / urls.length).toBeLessThanOrEqual(0.3);
    expect(moved.length / urls.length).toBeGreaterThan(0.15);
    for (const u of moved) expect(ownerOf(u, 4)).toBe(3);
  });
});
