import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type SimNetwork, startSimNetwork } from './sim-network.js';

/** Resolves to 'open' or the error code of a connect to `url`. */
function dial(url: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message));
  });
}

describe('taking a simulated relay down and up', () => {
  let net: SimNetwork;
  beforeAll(async () => {
    net = await startSimNetwork({ relays: 2, corpusSize: 20, autoStart: false, seed: 'down-up' });
  });
  afterAll(async () => {
    await net?.stop();
  });

  it('refuses connects while down, serves on the same port again, and records the truth', async () => {
    const url = net.urls[0] ?? '';
    expect(await dial(url)).toBe('open');
    const before = Date.now();
    await net.takeDown(0);
    expect(await dial(url)).toBe('ECONNREFUSED');
    expect(await dial(net.urls[1] ?? '')).toBe('open');
    await net.bringUp(0);
    const after = Date.now();
    expect(await dial(url)).toBe('open');
    const [period, ...rest] = net.downPeriods(0);
    expect(rest).toEqual([]);
    expect(period?.downAt).toBeGreaterThanOrEqual(before);
    expect(period?.upAt).toBeLessThanOrEqual(after);
    expect(net.downPeriods(1)).toEqual([]);
  });

  it('flaps: one down period per cycle, up at the end', async () => {
    await net.flap(1, { downMs: 50, upMs: 50, cycles: 3 });
    expect(net.downPeriods(1)).toHaveLength(3);
    expect(await dial(net.urls[1] ?? '')).toBe('open');
  });
});
