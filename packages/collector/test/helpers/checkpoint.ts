import type { Cache } from '@nostr-info/shared/cache';
import { createLogger } from '@nostr-info/shared/log';
import { normalizeRelayUrl } from '@nostr-info/shared/relay';
import { Handover } from '../../src/shard/handover.js';

/**
 * Leaves a checkpoint for each relay as a replica that had watched it for the last `seconds` and
 * stopped now would: the next collector resumes with that look-back. (A collector never resumes
 * below its first subscription, so tests of replays reaching minutes back start this way.)
 * `heardAt` (unix seconds, default now) is when the relay was last heard from: the resumed REQ
 * asks from `heardAt` minus the look-back.
 */
export async function watchedFor(
  cache: Cache,
  urls: readonly string[],
  seconds: number,
  heardAt = Math.floor(Date.now() / 1000),
): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const handover = new Handover({ cache, logger: createLogger({ level: 'silent', pretty: false }) });
  for (const url of urls) {
    const checkpoint = { lastHeardSec: heardAt, seen: { floor: now - seconds, ids: [] }, invalid: [] };
    const previous = {
      url: normalizeRelayUrl(url),
      holder: 'a previous replica',
      checkpoint: () => checkpoint,
    };
    await handover.save(previous);
  }
}
