import { statSync } from 'node:fs';
import type { CollectorEnv } from '@nostr-info/shared/config';
import { normalizeRelayUrl, readRelayList } from '@nostr-info/shared/relay';

/** The configured relay list: RELAYS, else RELAYS_FILE, else the bundled seed list. */
export function configuredRelays(env: Pick<CollectorEnv, 'RELAYS' | 'RELAYS_FILE'>): string[] {
  const raw = env.RELAYS ?? (env.RELAYS_FILE ? readRelayList(env.RELAYS_FILE) : readRelayList());
  return normalizedList(raw);
}

function normalizedList(raw: readonly string[]): string[] {
  const urls: string[] = [];
  for (const entry of raw) {
    try {
      urls.push(normalizeRelayUrl(entry));
    } catch {
      // Reported below as skipped; one bad line must not stop the collector.
    }
  }
  return urls;
}

/**
 * `RELAYS_FILE` watched for edits (a ConfigMap mounted as a volume is swapped in place by the
 * kubelet): `changed()` returns the new list when the file's modification time or size moved
 * since the last list that was `seeded()`, `undefined` otherwise or when it cannot be read right
 * now (a list that failed to be seeded is offered again on the next call).
 */
export class RelayListFile {
  private stamp: string;
  private pending: string | undefined;

  constructor(private readonly file: string) {
    this.stamp = RelayListFile.stampOf(file);
  }

  private static stampOf(file: string): string {
    try {
      const st = statSync(file);
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return 'missing';
    }
  }

  changed(): string[] | undefined {
    const stamp = RelayListFile.stampOf(this.file);
    if (stamp === this.stamp || stamp === 'missing') return undefined;
    let raw: string[];
    try {
      raw = readRelayList(this.file);
    } catch {
      return undefined; // Mid-swap: read again on the next tick.
    }
    this.pending = stamp;
    return normalizedList(raw);
  }

  /** The list `changed()` returned last is in the database. */
  seeded(): void {
    if (this.pending !== undefined) this.stamp = this.pending;
    this.pending = undefined;
  }
}
