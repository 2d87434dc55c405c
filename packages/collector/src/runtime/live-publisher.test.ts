import { LIVE_CHANNEL } from '@nostr-info/shared/stats';
import { describe, expect, it, vi } from 'vitest';
import type { LiveMessage } from '../observe/live.js';
import { LivePublisher } from './live-publisher.js';

function setup(publish: (channel: string, message: string) => Promise<void>, intervalMs?: number) {
  let counts = new Map<number, number>([
    [1, 50],
    [7, 10],
  ]);
  const logger = { debug: vi.fn() };
  const publisher = new LivePublisher({
    counts: {
      takeUniqueByKind: () => {
        const taken = counts;
        counts = new Map();
        return taken;
      },
    },
    connections: { size: 4, connectedCount: () => 3 },
    cache: { publish },
    intervalMs,
    ordinal: 2,
    logger,
  });
  return { publisher, logger };
}

describe('LivePublisher', () => {
  it('publishes per-second rates since the last message and the relays held', () => {
    const sent: [string, LiveMessage][] = [];
    const { publisher } = setup(async (channel, message) => {
      sent.push([channel, JSON.parse(message) as LiveMessage]);
    }, 5000);
    publisher.publish();
    publisher.publish();
    expect(sent.map(([channel]) => channel)).toEqual([LIVE_CHANNEL, LIVE_CHANNEL]);
    expect(sent[0]?.[1]).toMatchObject({
      events_per_second_by_kind: { '1': 10, '7': 2 },
      relays_connected: 3,
      relays_owned: 4,
      replica: 2,
    });
    // The counts start again after each message.
    expect(sent[1]?.[1].events_per_second_by_kind).toEqual({});
  });

  it('publishes every 5 s unless told otherwise', () => {
    expect(setup(async () => undefined).publisher.intervalMs).toBe(5000);
    const { publisher } = setup(async () => undefined, 2000);
    expect(publisher.intervalMs).toBe(2000);
  });

  it('drops a message the cache refuses, logging it at debug level', async () => {
    const { publisher, logger } = setup(() => Promise.reject(new Error('cache away')));
    expect(() => publisher.publish()).not.toThrow();
    await vi.waitFor(() => expect(logger.debug).toHaveBeenCalledOnce());
    expect(logger.debug.mock.calls[0]?.[1]).toBe('live message not published');
  });
});
