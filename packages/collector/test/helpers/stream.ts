import type { SimNetwork } from '@nostr-info/relay-sim';

/**
 * Lets the simulated network stream for `ms`, then stops it once every copy has left the relays
 * and gives the collector half a second to read what is on the wire (its stop then flushes).
 */
export async function streamFor(net: SimNetwork, ms: number): Promise<void> {
  net.resume();
  await new Promise((r) => setTimeout(r, ms));
  net.pause();
  await net.drain();
  await new Promise((r) => setTimeout(r, 500));
}
