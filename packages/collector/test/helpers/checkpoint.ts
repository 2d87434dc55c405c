import { type Cache, createLogger, normalizeRelayUrl } from '@nostr-info/shared';
import type { RelayConnection } from '../../src/relay/relay-connection.js';
import { Handover } from '../../src/shard/handover.js';

/**
 * Leaves a checkpoint for each relay as a replica that had watched it for the last `seconds` and
 * stopped now would: the next collector resumes with that look-back. (A collector never resumes
 * below its first subscription, so tests of replays reaching minutes back start this way.)
 */
export async function watchedFor(cache: Cache, urls: readonly string[], seconds: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const handover = new Handover({ cache, logger: createLogger({ level: 'silent', pretty: false }) });
  for (const url of urls) {
    const checkpoint = { lastHeardSec: now, seen: { floor: now - seconds, ids: [] }, invalid: [] };
    const previous = {
      url: normalizeRelayUrl(url),
      checkpoint: () => checkpoint,
    } as unknown as RelayConnection;
    await handover.save(previous);
  }
}
