import type { NostrEvent } from '../../src/protocol/event.js';

/**
 * A maker of events for code that runs after verification (aggregation, flushes): distinct
 * counted ids, a zero signature, `pubkey` unless given.
 */
export function unverifiedEvents(pubkey: string) {
  let n = 0;
  return (kind: number, tags: string[][] = [], created = 100, author = pubkey): NostrEvent => ({
    id: (n++).toString(16).padStart(64, '0'),
    pubkey: author,
    created_at: created,
    kind,
    tags,
    content: '',
    sig: '0'.repeat(128),
  });
}
