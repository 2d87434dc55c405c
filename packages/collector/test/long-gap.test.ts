import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayConnection } from '../src/relay/relay-connection.js';
import { testHost } from './helpers/connection-host.js';
import { TestRelay } from './helpers/test-relay.js';

// A gap longer than the look-back: the resumed REQ must look back behind the last time the relay
// was heard from BEFORE the gap, not behind the reconnect, or everything the relay received in
// the early part of the gap is never asked for. Scaled down: a 1 s look-back, a 3-6 s gap.

describe('a reconnect after a gap longer than the look-back', () => {
  let relay: TestRelay | undefined;
  let conn: RelayConnection | undefined;
  afterEach(async () => {
    await conn?.stop(100);
    await relay?.close();
  });

  it('asks for what the relay received right after the last frame before the gap', async () => {
    relay = await TestRelay.start();
    const key = generateSecretKey();
    const handled: string[] = [];
    const { host } = testHost({
      onEventFrame: (_c, frame) => {
        handled.push(frame.toString());
        return true;
      },
    });
    conn = new RelayConnection(1, relay.url, host, {
      resumeLookbackSeconds: 1,
      backoffInitialMs: 6000,
      backoffMaxMs: 6000,
    });
    conn.start();
    await expect.poll(() => relay?.subscribers, { timeout: 5000, message: 'subscription' }).toBe(1);
    // Live events must not be older than the subscription's since (the time it was sent).
    await new Promise((r) => setTimeout(r, 1100));
    const now = () => Math.floor(Date.now() / 1000);
    const before = finalizeEvent({ kind: 1, created_at: now(), tags: [], content: 'before the gap' }, key);
    relay.publish(before);
    await expect
      .poll(() => handled.some((f) => f.includes(before.id)), {
        timeout: 5000,
        message: 'last event before the gap',
      })
      .toBe(true);
    relay.dropClients();
    await expect.poll(() => relay?.subscribers, { timeout: 5000, message: 'dropped' }).toBe(0);
    // Received by the relay while the collector is away (reconnect after 3-6 s), created now.
    const during = finalizeEvent({ kind: 1, created_at: now(), tags: [], content: 'early in the gap' }, key);
    relay.publish(during);
    // The reconnect comes 3-6 s later, its REQ looking back 1 s behind the last frame before the gap.
    await expect
      .poll(() => handled.some((f) => f.includes(during.id)), {
        timeout: 10_000,
        message: 'the event from early in the gap',
      })
      .toBe(true);
    // (Replayed copies of it and of the last event before the gap are the seen set's to drop.)
    expect(handled.some((f) => f.includes(during.id))).toBe(true);
  });
});
