import type { OutageWrite } from '../relay/outage-tracker.js';

/** A confirmed outage of one relay, as the flush writes it. */
export interface OutageRow extends OutageWrite {
  relayId: number;
}

/**
 * The outage writes since the last flush: the latest state of each confirmed outage (relay and
 * start), and per relay the first time it served since a replica began watching it, which ends
 * an outage an earlier holder left ongoing. Latest-wins and min, so a failed flush merges back.
 */
export class OutageLog {
  readonly outages = new Map<string, OutageRow>();
  readonly servedAt = new Map<number, number>();

  get size(): number {
    return this.outages.size + this.servedAt.size;
  }

  write(row: OutageRow): void {
    this.outages.set(`${row.relayId}|${row.startedAt}`, row);
  }

  served(relayId: number, at: number): void {
    const current = this.servedAt.get(relayId);
    if (current === undefined || at < current) this.servedAt.set(relayId, at);
  }

  /** Adds an older log (a failed flush's): its rows only where this one has none newer. */
  mergeFrom(older: OutageLog): void {
    for (const [key, row] of older.outages) if (!this.outages.has(key)) this.outages.set(key, row);
    for (const [relayId, at] of older.servedAt) this.served(relayId, at);
  }
}
