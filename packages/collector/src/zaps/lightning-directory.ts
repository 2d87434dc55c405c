import type { Database } from '@nostr-info/shared/db';
import type { Kysely } from 'kysely';
import { type LightningEntry, replaces } from '../extract/zap-profile.js';
import { chunkRows } from '../store/chunks.js';

/** Options of `LightningDirectory`. */
export interface LightningDirectoryOptions {
  /** Where every replica's profiles land (`lightning_addresses`); none: this replica's only. */
  db?: Kysely<Database>;
  /** Profiles remembered locally; the least recently seen are forgotten first (default 50,000). */
  maxEntries?: number;
}

/**
 * Recipients' Lightning addresses: the profiles this replica saw (at once, newest wins) and,
 * for the rest, `lightning_addresses`, where every replica's flushes write theirs.
 */
export class LightningDirectory {
  private readonly entries = new Map<string, LightningEntry>();
  private readonly db: Kysely<Database> | undefined;
  private readonly maxEntries: number;

  constructor({ db, maxEntries = 50_000 }: LightningDirectoryOptions = {}) {
    this.db = db;
    this.maxEntries = maxEntries;
  }

  /** A profile seen on this replica; kept when it is the newest of its pubkey. */
  remember(entry: LightningEntry): void {
    const current = this.entries.get(entry.pubkey);
    if (!replaces(entry, current)) return;
    this.entries.delete(entry.pubkey);
    this.entries.set(entry.pubkey, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** The newest profile of `pubkey` this replica saw, if any. */
  local(pubkey: string): LightningEntry | undefined {
    return this.entries.get(pubkey);
  }

  /** The stored profiles of `pubkeys` (written by any replica's flush), newest local one if newer. */
  async fetch(pubkeys: readonly string[]): Promise<Map<string, LightningEntry>> {
    const found = new Map<string, LightningEntry>();
    if (this.db) {
      for (const chunk of chunkRows(pubkeys, 1, 1000)) {
        const rows = await this.db
          .selectFrom('lightning_addresses')
          .select(['pubkey', 'event_id', 'created_at', 'lud16', 'lud06'])
          .where('pubkey', 'in', chunk)
          .execute();
        for (const r of rows) {
          found.set(r.pubkey, {
            pubkey: r.pubkey,
            eventId: r.event_id,
            createdAt: new Date(r.created_at).getTime(),
            lud16: r.lud16,
            lud06: r.lud06,
          });
        }
      }
    }
    for (const pubkey of pubkeys) {
      const local = this.entries.get(pubkey);
      if (local && replaces(local, found.get(pubkey))) found.set(pubkey, local);
    }
    return found;
  }
}
