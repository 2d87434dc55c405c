import { type CollectorEnv, normalizeRelayUrl, readRelayList } from '@nostr-info/shared';

/** The configured relay list: RELAYS, else RELAYS_FILE, else the bundled seed list. */
export function configuredRelays(env: Pick<CollectorEnv, 'RELAYS' | 'RELAYS_FILE'>): string[] {
  const raw = env.RELAYS ?? (env.RELAYS_FILE ? readRelayList(env.RELAYS_FILE) : readRelayList());
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
