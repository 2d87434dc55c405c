import { createMemoryCache } from '@nostr-info/shared/cache';
import { afterEach, describe, expect, it } from 'vitest';
import { Corroboration } from './corroboration.js';
import { NetworkDedup } from './dedup.js';
import { ValidIds } from './valid-ids.js';

const id = (n: number) => n.toString(16).padStart(64, '0');
const sig = '5'.repeat(128);

/** One replica: its verified ids, its network claims and the credits it gave. */
function replica(cache: ReturnType<typeof createMemoryCache>) {
  const validIds = new ValidIds(100);
  const dedup = new NetworkDedup({ cache, ttlSeconds: 600 });
  const credits: number[] = [];
  let pending = 0;
  const corroboration = new Corroboration({
    validIds,
    dedup,
    credit: (relayId) => credits.push(relayId),
    pending: (d) => {
      pending += d;
    },
  });
  /** A valid copy of event `n` from `relayId`, through claim and corroboration as the pipeline does. */
  const copy = async (n: number, relayId: number) => {
    const firstHere = validIds.add(id(n), sig, 1, 0, undefined);
    const entry = validIds.find(id(n));
    validIds.credit(entry, relayId);
    if (!firstHere) {
      corroboration.again(entry, id(n), 1, 0);
      return;
    }
    const first = await dedup.claim(id(n), relayId);
    if (first) corroboration.won(id(n), 1, 0);
    else corroboration.lost(id(n), relayId, 1, 0);
  };
  const settled = async () => {
    while (pending > 0) await new Promise((r) => setTimeout(r, 5));
  };
  return { copy, credits, settled, dedup };
}

describe('Corroboration', () => {
  const caches: ReturnType<typeof createMemoryCache>[] = [];
  afterEach(async () => {
    for (const c of caches.splice(0)) await c.close();
  });
  const cache = () => {
    const c = createMemoryCache({});
    caches.push(c);
    return c;
  };

  it('credits the first relay once when relays on the same replica corroborate it', async () => {
    const r = replica(cache());
    await r.copy(1, 10);
    await r.copy(1, 11);
    await r.copy(1, 12);
    await r.copy(2, 10);
    await r.settled();
    // Event 1: relay 10 first, 11 and 12 corroborate; event 2 only on relay 10.
    expect(r.credits).toEqual([10]);
  });

  it('credits it once when the corroborating relays are on other replicas', async () => {
    const shared = cache();
    const [a, b, c] = [replica(shared), replica(shared), replica(shared)];
    await a.copy(1, 10);
    await b.copy(1, 20);
    await c.copy(1, 30);
    // Event 2: first on b, then a local second copy on b and one on a.
    await b.copy(2, 21);
    await b.copy(2, 22);
    await a.copy(2, 12);
    for (const r of [a, b, c]) await r.settled();
    expect([...a.credits, ...b.credits, ...c.credits].sort()).toEqual([10, 21]);
  });

  it('never credits a relay for its own copy seen again', async () => {
    const shared = cache();
    const [a, later] = [replica(shared), replica(shared)];
    await a.copy(1, 10);
    // The same relay's copy once the first replica's memory of it is gone (here: another replica).
    await later.copy(1, 10);
    await a.settled();
    await later.settled();
    expect([...a.credits, ...later.credits]).toEqual([]);
  });
});
