import { describe, expect, it } from 'vitest';
import { type RelayServer, startRelays } from './start-relays.js';

class FakeServer implements RelayServer {
  listenedOn: string | undefined;
  closed = false;
  constructor(private readonly fails = false) {}
  async listen(host: string, port: number): Promise<string> {
    if (this.fails) throw new Error('port in use');
    this.listenedOn = `${host}:${port}`;
    return `ws://${this.listenedOn}`;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('startRelays', () => {
  it('puts relay i on port + i, or every relay on a random port with 0', async () => {
    const fixed = await startRelays(3, () => new FakeServer(), 'h', 7000);
    expect(fixed.map((r) => r.listenedOn)).toEqual(['h:7000', 'h:7001', 'h:7002']);
    const random = await startRelays(2, () => new FakeServer(), 'h', 0);
    expect(random.map((r) => r.listenedOn)).toEqual(['h:0', 'h:0']);
  });

  it('closes the relays made so far when one fails to listen', async () => {
    const made: FakeServer[] = [];
    const start = startRelays(4, (i) => made[made.push(new FakeServer(i === 2)) - 1] as FakeServer, 'h', 0);
    await expect(start).rejects.toThrow('port in use');
    expect(made.map((r) => r.closed)).toEqual([true, true, true]);
  });
});
