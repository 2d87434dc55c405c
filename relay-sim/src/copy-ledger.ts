import type { CopyState } from './types.js';

/**
 * The copies one relay holds and the copies it wrote to subscriptions, one state per event index.
 * A relay holds one copy per id: whatever arrives later for an index it holds is ignored.
 */
export class CopyLedger {
  private readonly emittedCopies = new Map<number, CopyState>();
  private readonly deliveredCopies = new Map<number, CopyState>();
  private readonly deliveredTimes = new Map<number, number>();

  /** Copies the relay accepted (index → state), for truth scope `emitted`. */
  get emitted(): ReadonlyMap<number, CopyState> {
    return this.emittedCopies;
  }

  /** Copies written to a subscribed socket (index → state), for truth scope `delivered`. */
  get delivered(): ReadonlyMap<number, CopyState> {
    return this.deliveredCopies;
  }

  /** When each index was first written to a subscription (ms): the truth's timing rule reads it. */
  get deliveredAt(): ReadonlyMap<number, number> {
    return this.deliveredTimes;
  }

  /** Takes a copy in; false when the relay holds that index already. */
  recordEmitted(index: number, state: CopyState): boolean {
    if (this.emittedCopies.has(index)) return false;
    this.emittedCopies.set(index, state);
    return true;
  }

  /** Notes a copy written to a subscription; later writes of the same index add nothing. */
  recordDelivered(index: number, state: CopyState): void {
    if (this.deliveredCopies.has(index)) return;
    this.deliveredCopies.set(index, state);
    this.deliveredTimes.set(index, Date.now());
  }

  hasDelivered(index: number): boolean {
    return this.deliveredCopies.has(index);
  }

  /** The state of the relay's copy of `index`, taking in a valid copy when it holds none. */
  claimCopy(index: number): CopyState {
    const held = this.emittedCopies.get(index);
    if (held !== undefined) return held;
    this.emittedCopies.set(index, 'valid');
    return 'valid';
  }
}
