import { describe, expect, it } from 'vitest';
import type { LightningEntry } from '../extract/zap-profile.js';
import { ProfileWaits } from './profile-waits.js';

const entry = (pubkey: string): LightningEntry => ({
  pubkey,
  eventId: '0'.repeat(64),
  createdAt: 1,
  lud16: `${pubkey.slice(0, 4)}@wallet.example`,
  lud06: null,
});

describe('ProfileWaits', () => {
  it('answers at once from a profile seen here, from the store when another replica wrote it, else none in time', async () => {
    const stored = new Map<string, LightningEntry>();
    const queries: string[][] = [];
    const waits = new ProfileWaits({
      fetch: async (pubkeys) => {
        queries.push([...pubkeys]);
        return new Map(pubkeys.flatMap((p) => (stored.has(p) ? [[p, stored.get(p) as LightningEntry]] : [])));
      },
      waitMs: 300,
      recheckMs: 50,
      onError: () => undefined,
    });
    const local = waits.wait('aa');
    const remote = waits.wait('bb');
    const never = waits.wait('cc');
    waits.found(entry('aa'));
    expect(await local).toEqual(entry('aa'));
    setTimeout(() => stored.set('bb', entry('bb')), 100);
    expect(await remote).toEqual(entry('bb'));
    const started = Date.now();
    expect(await never).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(400);
    // Batched: every query asks for all the pubkeys still waiting.
    expect(queries[0]?.sort()).toEqual(['bb', 'cc']);
    waits.close();
  });

  it('settles at once when told (the stop): one more look, then none', async () => {
    const waits = new ProfileWaits({
      fetch: async () => new Map(),
      waitMs: 60_000,
      recheckMs: 10_000,
      onError: () => undefined,
    });
    const pending = waits.wait('dd');
    await new Promise((r) => setTimeout(r, 20));
    waits.settleNow();
    expect(await pending).toBeUndefined();
    expect(await waits.wait('ee')).toBeUndefined();
    waits.close();
  });
});
