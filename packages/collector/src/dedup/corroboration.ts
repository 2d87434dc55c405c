import type { NetworkDedup } from './dedup.js';
import type { ValidIds } from './valid-ids.js';

/** Mark of an entry whose network claim this replica won: a second local relay corroborates it. */
const WON = 1;
/** Mark of an entry whose corroboration this replica has handled. */
const HANDLED = 2;
/** Corroboration claims per cache batch. */
const BATCH = 1000;
/** Tries of a batch while the cache fails, and the first wait between them (doubling). */
const TRIES = 3;
const RETRY_MS = 1000;

/** What `Corroboration` works with. */
export interface CorroborationOptions {
  validIds: ValidIds;
  dedup: Pick<NetworkDedup, 'corroborateMany' | 'firstRelay'>;
  /** Credits `relayId` with an event it delivered first that another relay delivered too. */
  credit: (relayId: number, kind: number, atMs: number) => void;
  /** Told when claims start (+n) and end (-n), so a stop waits for them. */
  pending: (delta: number) => void;
}

/** A corroboration to claim: the event, its first relay when known here, and where it counts. */
interface Pending {
  id: string;
  first: number | undefined;
  /** The relay whose own copy this is (never credited for corroborating itself). */
  notRelay: number | undefined;
  kind: number;
  atMs: number;
}

/**
 * Credits the relay that delivered an event first once a second relay delivers it too. A relay's
 * "corroborated" events are those another watched relay also delivered: the later relays get it
 * through their `duplicates`, the first one through this, once per event network-wide.
 *
 * Who delivered first is the relay whose copy won the network claim (`NetworkDedup.claim` records
 * it). A second delivery is seen either here (another relay on this replica: the claim won and the
 * entry has a second relay) or as a lost claim (a relay on another replica, or an earlier one, was
 * first). Both claim the event's one corroboration in the cache (`corr:<id>`, batched: one round
 * trip for many); the winner credits the first relay, read from the claim when it was another
 * replica's. Copies whose verified-id entry was forgotten meanwhile take the lost-claim path, as on
 * another replica. While the cache fails a batch is tried again a few times; a credit whose claim
 * never got an answer is left out (a first relay is never credited twice).
 */
export class Corroboration {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly options: CorroborationOptions) {}

  /** This replica's claim of `id`, for the copy of its first relay, won. */
  won(id: string, kind: number, atMs: number): void {
    const ids = this.options.validIds;
    const entry = ids.find(id);
    if (entry < 0 || ids.mark(entry) !== 0) return;
    if (ids.relayCount(entry) < 2) {
      ids.setMark(entry, WON);
      return;
    }
    ids.setMark(entry, HANDLED);
    this.enqueue({ id, first: ids.firstRelay(entry), notRelay: undefined, kind, atMs });
  }

  /** Another relay on this replica delivered the event of `entry` (already credited to one). */
  again(entry: number, id: string, kind: number, atMs: number): void {
    const ids = this.options.validIds;
    if (entry < 0 || ids.mark(entry) !== WON) return;
    ids.setMark(entry, HANDLED);
    this.enqueue({ id, first: ids.firstRelay(entry), notRelay: undefined, kind, atMs });
  }

  /** This replica's claim of `id` lost: another relay delivered it first (`relayId` did not). */
  lost(id: string, relayId: number, kind: number, atMs: number): void {
    const ids = this.options.validIds;
    const entry = ids.find(id);
    if (entry >= 0) {
      if (ids.mark(entry) === HANDLED) return;
      ids.setMark(entry, HANDLED);
    }
    this.enqueue({ id, first: undefined, notRelay: relayId, kind, atMs });
  }

  private enqueue(item: Pending): void {
    this.options.pending(1);
    this.queue.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    // The claims of this turn go out together.
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0) void this.send(this.queue.splice(0, BATCH));
    });
  }

  private async send(batch: Pending[]): Promise<void> {
    const { dedup, credit, pending } = this.options;
    try {
      const mine = await this.claim(batch);
      for (const [i, item] of batch.entries()) {
        if (!mine?.[i]) continue;
        const relayId = item.first ?? (await dedup.firstRelay(item.id).catch(() => undefined));
        // A relay never corroborates itself (its own copy again, once its memory of it was gone).
        if (relayId !== undefined && relayId !== item.notRelay) credit(relayId, item.kind, item.atMs);
      }
    } finally {
      pending(-batch.length);
    }
  }

  private async claim(batch: Pending[]): Promise<boolean[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.options.dedup.corroborateMany(batch.map((item) => item.id));
      } catch {
        // A try whose answer was lost may have landed: the next one then finds the key taken and
        // credits nothing, which undercounts by that one rather than counting twice.
        if (attempt >= TRIES) return undefined;
        await new Promise((r) => setTimeout(r, RETRY_MS * 2 ** (attempt - 1)));
      }
    }
  }
}
