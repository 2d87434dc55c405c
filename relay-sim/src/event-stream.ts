import type { EventRegistry } from './registry.js';
import { Rng } from './rng.js';
import type { StreamSettings } from './sim-network-settings.js';
import type { CopyState } from './types.js';

/** A relay as the stream sees it: the copies it holds, and taking one more. */
export interface StreamTarget {
  readonly emitted: ReadonlyMap<number, CopyState>;
  /** Takes a copy in; false when the relay holds that index already. */
  accept(index: number, state: CopyState, json: string): boolean;
}

/**
 * Hands the corpus, event after event and round and round, to the relays: each event to one
 * relay, or with `multiRelayShare` to `copies` of them, each copy broken (signature or id) with its
 * share. Every choice comes from a generator seeded with the network's seed, so a seed gives the
 * same copies on the same relays, run after run.
 */
export class EventStream {
  private readonly rng: Rng;
  private cursor = 0;
  private unique = 0;
  private copies = 0;

  constructor(
    private readonly registry: EventRegistry,
    private readonly targets: readonly StreamTarget[],
    private readonly settings: Omit<StreamSettings, 'rate' | 'tickMs'>,
    seed: string,
  ) {
    this.rng = new Rng(`${seed}:stream`);
  }

  /** Network-unique events streamed so far (at least one relay took a copy). */
  get uniqueEmitted(): number {
    return this.unique;
  }

  /** Copies the relays took so far. */
  get copiesEmitted(): number {
    return this.copies;
  }

  /** Streams the next `n` corpus events. */
  emit(n: number): void {
    for (let i = 0; i < n; i++) this.emitOne();
  }

  private emitOne(): void {
    const rng = this.rng;
    const { copies, multiRelayShare, invalidSigShare, invalidIdShare } = this.settings;
    const index = this.cursor++ % this.registry.corpusSize;
    const chosen = rng.chance(multiRelayShare)
      ? rng.sample(this.targets.length, copies)
      : [rng.int(this.targets.length)];
    let sent = false;
    for (const r of chosen) {
      const target = this.targets[r];
      if (!target || target.emitted.has(index)) continue;
      const roll = rng.next();
      const state: CopyState =
        roll < invalidSigShare ? 'bad-sig' : roll < invalidSigShare + invalidIdShare ? 'bad-id' : 'valid';
      if (target.accept(index, state, this.registry.copyJson(index, state))) {
        this.copies++;
        sent = true;
      }
    }
    // Once the cursor has wrapped round the corpus, every relay has the event already: nothing is
    // streamed, so nothing is counted as offered.
    if (sent) this.unique++;
  }
}
