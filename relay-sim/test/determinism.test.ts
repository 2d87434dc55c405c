import { describe, expect, it } from 'vitest';
import { startSimNetwork } from '../src/sim-network.js';

describe('seeded networks', () => {
  it('produce the same events on the same relays for the same seed and created_at base', async () => {
    const opts = { relays: 6, corpusSize: 300, autoStart: false, seed: 'same', createdAtBase: 1_750_000_000 };
    const a = await startSimNetwork(opts);
    const b = await startSimNetwork(opts);
    const c = await startSimNetwork({ ...opts, seed: 'other' });
    try {
      for (const net of [a, b, c]) net.emit(200);
      const strip = (t: ReturnType<typeof a.truth>, urls: string[]) => ({
        ...t,
        relays: urls.map((u) => {
          const { url: _url, ...rest } = t.relays[u] ?? { url: '' };
          return rest;
        }),
      });
      const ta = strip(a.truth({ scope: 'emitted' }), a.urls);
      expect(strip(b.truth({ scope: 'emitted' }), b.urls)).toEqual(ta);
      expect(strip(c.truth({ scope: 'emitted' }), c.urls)).not.toEqual(ta);
      expect(ta.unique).toBeGreaterThan(150);
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });
});
