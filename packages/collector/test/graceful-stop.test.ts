import { afterEach, describe, expect, it } from 'vitest';
import { RelayConnection } from '../src/relay/relay-connection.js';
import { testHost } from './helpers/connection-host.js';
import { TestRelay } from './helpers/test-relay.js';

// Stopping a connection reads the frames already on the wire (they are counted before the
// checkpoint is handed on), unless the collector is holding reading back: then the socket stays
// paused, so a SIGTERM or a re-shard under overload cannot pull every relay's backlog into memory
// at once (the next owner's look-back re-asks for what was left unread).

const FRAMES = 3000;
const frame = (i: number, spaced = false) =>
  `[${spaced ? ' "EVENT", ' : '"EVENT",'}"{sub}",{"id":"${i.toString(16).padStart(64, '0')}","pubkey":"${'1'.repeat(64)}","created_at":1,"kind":1,"tags":[],"content":"${'x'.repeat(200)}","sig":"${'2'.repeat(128)}"}]`;

describe('stopping a connection', () => {
  let relay: TestRelay | undefined;
  afterEach(async () => {
    await relay?.close();
  });

  const connect = async (paused: () => boolean) => {
    relay = await TestRelay.start();
    let handled = 0;
    const { host } = testHost({
      onEventFrame: () => {
        handled += 1;
        return true;
      },
      paused,
    });
    const conn = new RelayConnection(1, relay.url, host);
    conn.start();
    await expect.poll(() => relay?.subscribers, { timeout: 5000, message: 'subscription' }).toBe(1);
    return { conn, relay, handled: () => handled };
  };

  it('reads what is on the wire before closing when reading is not held back', async () => {
    const { conn, relay: r, handled } = await connect(() => false);
    conn.pause();
    for (let i = 0; i < FRAMES; i++) r.sendRaw(frame(i));
    await new Promise((res) => setTimeout(res, 200));
    await conn.stop(3000);
    expect(handled()).toBe(FRAMES);
  });

  it('hands on spaced EVENT frames read while stopping like compact ones', async () => {
    // `[ "EVENT", …]` is recognised on the parsed path, not by its leading bytes; both hand on.
    const { conn, relay: r, handled } = await connect(() => false);
    conn.pause();
    for (let i = 0; i < FRAMES; i++) r.sendRaw(frame(i, i % 2 === 0));
    await new Promise((res) => setTimeout(res, 200));
    await conn.stop(3000);
    expect(handled()).toBe(FRAMES);
  });

  it('leaves a paused socket paused while the collector holds reading back', async () => {
    let held = true;
    const { conn, relay: r, handled } = await connect(() => held);
    conn.pause();
    for (let i = 0; i < FRAMES; i++) r.sendRaw(frame(i));
    await new Promise((res) => setTimeout(res, 200));
    const before = handled();
    await conn.stop(300);
    // Nothing beyond what was already read when reading paused.
    expect(handled() - before).toBe(0);
    expect(before).toBeLessThan(FRAMES);
    held = false;
  });
});
