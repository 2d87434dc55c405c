export interface RelaySeenOptions {
  /** Most ids kept per relay (bounds memory with thousands of relays). */
  capacity?: number;
  /** Seconds of created_at history kept behind the newest event, i.e. the resume overlap. */
  overlapSeconds?: number;
}

/**
 * The ids one relay has delivered recently, so that a resumed subscription can ask for an
 * overlapping window (`since` in the past) without crediting the relay twice for the same event.
 *
 * Invariant: every id this relay delivered with `created_at >= floor` is in the set. `resumeSince`
 * never goes below `floor`, so whatever the relay re-sends from there is recognised.
 */
export class RelaySeen {
  private readonly ids = new Map<string, number>();
  private floor = 0;
  private newest = 0;
  private readonly capacity: number;
  private readonly overlapSeconds: number;

  constructor({ capacity = 512, overlapSeconds = 120 }: RelaySeenOptions = {}) {
    this.capacity = capacity;
    this.overlapSeconds = overlapSeconds;
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records a delivered id with its created_at (seconds). */
  add(id: string, createdAt: number): void {
    if (createdAt < this.floor) return; // Never re-requested, so no need to remember it.
    this.ids.set(id, createdAt);
    if (createdAt > this.newest) this.newest = createdAt;
    if (this.ids.size > this.capacity) this.evictOldest();
  }

  private evictOldest(): void {
    // Map order is insertion order, close to created_at order for a live stream. Raising the
    // floor to the evicted created_at + 1 keeps the invariant even when order differs.
    const first = this.ids.entries().next();
    if (first.done) return;
    const [id, createdAt] = first.value;
    this.ids.delete(id);
    // Ids left below the floor are harmless (never re-requested) and leave in insertion order;
    // scanning for them here would cost O(capacity) per event.
    if (createdAt + 1 > this.floor) this.floor = createdAt + 1;
  }

  /**
   * `since` for a re-subscription after a gap: `overlapSeconds` before the last time the relay
   * was heard from, but never below what the set still covers.
   */
  resumeSince(lastHeardSeconds: number): number {
    const wanted = lastHeardSeconds - this.overlapSeconds;
    const since = Math.max(wanted, this.floor);
    // Forget what can no longer be re-sent so the set stays small.
    for (const [id, createdAt] of this.ids) if (createdAt < since) this.ids.delete(id);
    if (since > this.floor) this.floor = since;
    return since;
  }

  /** State to hand to the next owner of the relay (after a re-shard or a restart). */
  export(): RelaySeenState {
    return { floor: this.floor, ids: [...this.ids.entries()] };
  }

  /** Takes over the state another replica exported (ids newer than its floor). */
  import(state: RelaySeenState): void {
    this.floor = Math.max(this.floor, state.floor);
    for (const [id, createdAt] of state.ids) {
      if (typeof id === 'string' && Number.isInteger(createdAt)) this.add(id, createdAt);
    }
  }
}

/** Serialisable `RelaySeen` contents. */
export interface RelaySeenState {
  floor: number;
  ids: [string, number][];
}
