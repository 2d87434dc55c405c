import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createCache } from '@nostr-info/shared/cache';
import { createLogger } from '@nostr-info/shared/log';
import { normalizeRelayUrl } from '@nostr-info/shared/relay';
import { testServices } from '@nostr-info/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startCollector } from '../src/collector.js';
import type { ResumeCheckpoint } from '../src/relay/relay-connection.js';
import { Handover } from '../src/shard/handover.js';
import { createWorld } from './helpers/context.js';

// Relay hand-off between replicas on the real Redis: a new owner waits for the checkpoint only
// while another replica holds the relay, never opens it beside a live holder within the wait,
// and takes over once a crashed holder's lease lapses.

const prefix = `test:collector:handover:${Math.random().toString(36).slice(2)}:`;
const cache = createCache({
  REDIS_URL: testServices().TEST_REDIS_URL,
  REDIS_KEY_PREFIX: prefix,
  REDIS_CLUSTER_NODES: undefined,
});
const logger = createLogger({ level: 'silent', pretty: false });
afterAll(() => cache.close());

const checkpoint: ResumeCheckpoint = {
  lastHeardSec: 1_700_000_000,
  seen: { floor: 1, ids: [] },
  invalid: [],
};
/** What a hand-off reads of a connection: its relay, its holder id and its checkpoint. */
const connection = (url: string, cp?: ResumeCheckpoint) => ({
  url,
  holder: randomUUID(),
  checkpoint: () => cp,
});
const handover = (leaseMs = 10_000) => new Handover({ cache, logger, leaseMs });
const never = () => false;

describe('Handover', () => {
  it('starts at once when no connection holds the relay', async () => {
    const started = Date.now();
    expect(await handover().take('wss://free.example.com', randomUUID(), 5000, never)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('waits while another connection holds the relay and takes the checkpoint it leaves', async () => {
    const url = 'wss://held.example.com';
    const old = connection(url, checkpoint);
    expect(await handover().take(url, old.holder, 0, never)).toBeUndefined(); // opens it: holds it
    const started = Date.now();
    const next = connection(url);
    const taking = handover().take(url, next.holder, 10_000, never);
    await new Promise((r) => setTimeout(r, 800));
    await handover().save(old);
    expect(await taking).toEqual(checkpoint);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    // Taken once: nothing is left for a third connection, which now waits on the new holder.
    expect(await handover().take(url, randomUUID(), 300, never)).toBeUndefined();
  });

  it('makes a relay that comes back to the same process wait for its own previous connection', async () => {
    const url = 'wss://returning.example.com';
    const same = handover();
    const old = connection(url, checkpoint);
    await same.take(url, old.holder, 0, never);
    const taking = same.take(url, connection(url).holder, 10_000, never);
    await new Promise((r) => setTimeout(r, 600));
    await same.save(old);
    expect(await taking).toEqual(checkpoint);
  });

  it('takes a relay over once a holder that stopped renewing (crashed) lets its lease lapse', async () => {
    const url = 'wss://crashed.example.com';
    await handover(1500).take(url, randomUUID(), 0, never);
    const started = Date.now();
    expect(await handover().take(url, randomUUID(), 8000, never)).toBeUndefined();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(6000);
  });

  it('keeps the hold while it is renewed, and opens beside the holder only after the wait', async () => {
    const url = 'wss://renewed.example.com';
    const holder = connection(url);
    const renewing = handover(1500);
    await renewing.take(url, holder.holder, 0, never);
    const renew = setInterval(() => void renewing.hold([holder]), 300);
    try {
      const started = Date.now();
      expect(await handover().take(url, randomUUID(), 3000, never)).toBeUndefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    } finally {
      clearInterval(renew);
    }
  });

  it('puts an unused checkpoint back and lets the relay go when the take is abandoned', async () => {
    const url = 'wss://abandoned.example.com';
    const old = connection(url, checkpoint);
    await handover().take(url, old.holder, 0, never);
    await handover().save(old);
    const leaving = connection(url);
    const taken = await handover().take(url, leaving.holder, 1000, never);
    expect(taken).toEqual(checkpoint);
    await handover().abandon(url, leaving.holder, taken);
    const started = Date.now();
    expect(await handover().take(url, randomUUID(), 5000, never)).toEqual(checkpoint);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up waiting as soon as the take is cancelled', async () => {
    const url = 'wss://cancelled.example.com';
    await handover().take(url, randomUUID(), 0, never);
    let cancel = false;
    setTimeout(() => {
      cancel = true;
    }, 300);
    const started = Date.now();
    expect(await handover().take(url, randomUUID(), 10_000, () => cancel)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('a collector that stops while it waits for a checkpoint', () => {
  it('never opens the relay afterwards and leaves the checkpoint for the next owner', async () => {
    const world = await createWorld('handover_stop');
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    let sockets = 0;
    wss.on('connection', () => {
      sockets += 1;
    });
    try {
      await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
      const raw = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
      const url = normalizeRelayUrl(raw);
      const ctx = await world.context({ RELAYS: raw, RECONCILE_INTERVAL_MS: '300' });
      // Another replica has the relay open (same cache as the collector's).
      const previous = new Handover({ cache: ctx.cache, logger, leaseMs: 20_000 });
      const holder = connection(url, checkpoint);
      await previous.take(url, holder.holder, 0, never);
      const service = await startCollector(ctx, { nip11: false });
      await new Promise((r) => setTimeout(r, 500)); // its take is waiting for the checkpoint
      await service.stop();
      await previous.save(holder); // the previous owner lets go only now
      // A take still running would have the relay within 250 ms of the release.
      await new Promise((r) => setTimeout(r, 3500));
      expect(sockets).toBe(0);
      const next = new Handover({ cache: ctx.cache, logger });
      expect(await next.take(url, randomUUID(), 0, never)).toEqual(checkpoint);
    } finally {
      await new Promise((r) => wss.close(r));
      await world.drop();
    }
  });
});
