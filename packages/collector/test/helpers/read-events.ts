import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { Filter } from 'nostr-tools/filter';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import WebSocket from 'ws';

// Node 20 has no global WebSocket: nostr-tools is given the `ws` one.
useWebSocketImplementation(WebSocket);

/** Every stored event matching `filter` on the relay at `url`, read with nostr-tools up to EOSE. */
export async function readEvents(url: string, filter: Filter): Promise<NostrEvent[]> {
  const relay = await Relay.connect(url);
  try {
    return await new Promise<NostrEvent[]>((resolve) => {
      const events: NostrEvent[] = [];
      const sub = relay.subscribe([filter], {
        onevent: (ev) => events.push({ ...ev }),
        oneose: () => {
          sub.close();
          resolve(events);
        },
      });
    });
  } finally {
    relay.close();
  }
}
