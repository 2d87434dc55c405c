import type { LightningEntry } from '../extract/zap-profile.js';
import { PROVIDER_FAILURE_TTL_MS } from './provider-keys.js';

/** A recipient whose stored receipts a flush checks again, and the address it checks them for. */
export interface DueRecheck {
  pubkey: string;
  /** Its `lud16` and `lud06`, as one key. */
  address: string;
  atMs: number;
}

/**
 * Which recipients' stored unverified receipts a flush checks again. A recipient whose profile the
 * flush writes is due when its Lightning address is new or changed, or when its receipts were last
 * checked at least `intervalMs` ago (by default as long as a failed provider lookup is remembered,
 * so a provider that was down is asked again once its failure is forgotten). A recipient seen in
 * every flush is otherwise checked again every flush, each time reading back all its receipts.
 *
 * Asking is not checking: a recheck counts as done only once the flush that found its receipts
 * committed (`checked`), so a flush that rolls back leaves its recipients due for the retry.
 */
export class RecheckPacer {
  private readonly last = new Map<string, { address: string; atMs: number }>();

  constructor(
    private readonly intervalMs = PROVIDER_FAILURE_TTL_MS,
    private readonly maxRecipients = 100_000,
  ) {}

  /** The recipients of `entries` (profiles with an address) due a recheck at `nowMs`. */
  due(entries: Iterable<Pick<LightningEntry, 'pubkey' | 'lud16' | 'lud06'>>, nowMs: number): DueRecheck[] {
    const due: DueRecheck[] = [];
    for (const e of entries) {
      if (!e.lud16 && !e.lud06) continue;
      const address = `${e.lud16 ?? ''} ${e.lud06 ?? ''}`;
      const last = this.last.get(e.pubkey);
      if (last && last.address === address && nowMs - last.atMs < this.intervalMs) continue;
      due.push({ pubkey: e.pubkey, address, atMs: nowMs });
    }
    return due;
  }

  /** The rechecks of a flush that committed: not due again until the address changes or time passes. */
  checked(done: Iterable<DueRecheck>): void {
    for (const { pubkey, address, atMs } of done) {
      // Re-inserted, so the map's order is the order of the last checks and the oldest go first.
      this.last.delete(pubkey);
      this.last.set(pubkey, { address, atMs });
    }
    for (const pubkey of this.last.keys()) {
      if (this.last.size <= this.maxRecipients) break;
      this.last.delete(pubkey);
    }
  }
}
