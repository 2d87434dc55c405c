import type { EventRegistry } from './registry.js';
import type { StoredCopy } from './relay-conn.js';
import type { CopyState } from './types.js';

/** What a flood source needs of its relay's copies (see `CopyLedger`). */
export interface FloodLedger {
  hasDelivered(index: number): boolean;
  /** The state of the relay's copy of `index`, taking in a valid copy when it holds none. */
  claimCopy(index: number): CopyState;
}

/**
 * The events a `flood` relay sends, in order: first every corpus event it has not delivered yet (in
 * its own copy state), then an endless run of junk kind-1 events whose ids are unique but not
 * hashes (so every one is a distinct invalid copy). No id is ever sent twice by a flooding relay,
 * so its truth stays exact for a collector whose per-relay dedup memory is bounded.
 */
export class FloodSource {
  private cursor = 0;
  private junkMade = 0;

  constructor(
    private readonly registry: EventRegistry,
    private readonly relayIndex: number,
    private readonly ledger: FloodLedger,
  ) {}

  /** The next corpus copy, or the wire JSON of the next junk event once the corpus is used up. */
  next(): StoredCopy | string {
    while (this.cursor < this.registry.corpusSize) {
      const index = this.cursor++;
      if (this.ledger.hasDelivered(index)) continue;
      const ev = this.registry.events[index];
      if (!ev) continue;
      const state = this.ledger.claimCopy(index);
      return { index, state, ev, json: this.registry.copyJson(index, state) };
    }
    return this.junk(this.junkMade++);
  }

  private junk(n: number): string {
    const id = `f100d${this.relayIndex.toString(16).padStart(8, '0')}${n.toString(16).padStart(51, '0')}`;
    const pubkey = this.registry.events[0]?.pubkey ?? '0'.repeat(64);
    return `{"id":"${id}","pubkey":"${pubkey}","created_at":${Math.floor(Date.now() / 1000)},"kind":1,"tags":[],"content":"flood ${n}","sig":"${'0'.repeat(128)}"}`;
  }
}
