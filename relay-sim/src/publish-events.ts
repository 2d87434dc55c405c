import type { NostrEvent } from '@nostr-info/shared/nostr';
import { getEventHash } from 'nostr-tools/pure';
import type { StreamTarget } from './event-stream.js';
import type { EventRegistry } from './registry.js';
import { verifyNostrEvent } from './signer.js';
import type { CopyState } from './types.js';

/** What a hand-built copy is: valid, or broken in its signature (id matches the hash) or its id. */
export function copyStateOf(ev: NostrEvent): CopyState {
  if (verifyNostrEvent(ev)) return 'valid';
  return safeHash(ev) === ev.id ? 'bad-sig' : 'bad-id';
}

/**
 * Gives hand-built events to the relays at `relayIndexes` (default all) as each relay's copy, in
 * order; a relay that holds the id already ignores it. Returns the number of copies taken.
 */
export function publishEvents(
  registry: EventRegistry,
  relays: readonly Pick<StreamTarget, 'accept'>[],
  events: readonly NostrEvent[],
  relayIndexes?: readonly number[],
): number {
  let accepted = 0;
  for (const ev of events) {
    const state = copyStateOf(ev);
    const index = registry.add(ev, state === 'valid');
    const json = JSON.stringify(ev);
    for (const i of relayIndexes ?? relays.map((_, k) => k)) {
      if (relays[i]?.accept(index, state, json)) accepted++;
    }
  }
  return accepted;
}

function safeHash(ev: NostrEvent): string | undefined {
  try {
    return getEventHash(ev);
  } catch {
    return undefined;
  }
}
