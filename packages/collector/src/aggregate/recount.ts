import { timingOf } from '@nostr-info/shared/nostr';
import { Aggregator, type ZapReceiptSink } from './aggregator.js';
import type { CounterBuffer } from './counter-buffer.js';
import type { CountedEvent } from './durable-ledger.js';

/** Receipts are checked once, when first counted; a recount never sends them again. */
const NO_ZAPS: ZapReceiptSink = { receipt: () => undefined, profile: () => undefined };

type Counted = { events: number };

/** Subtracts `from`'s counts row by row; a row left at zero existed only for them and is dropped. */
function subtractRows<R extends Counted>(into: Map<string, R>, from: Map<string, R>): void {
  for (const [key, row] of from) {
    const mine = into.get(key);
    if (!mine) continue;
    mine.events -= row.events;
    if (mine.events <= 0) into.delete(key);
  }
}

/**
 * Takes events that were already counted (their flush found them in `counted_events`: a copy
 * re-delivered after a crash, or claimed twice while the cache lost its keys) back out of a
 * buffer's counts: the same recording is replayed into a scratch buffer and subtracted. Counts are
 * additive; latest-wins state (replaceable events, relay lists, addresses, deletion requests) is
 * idempotent and stays. The relay whose copy won is charged a duplicate instead, as if its claim
 * had been lost.
 */
export function takeOutRepeats(buffer: CounterBuffer, repeated: readonly CountedEvent[]): void {
  const scratch = new Aggregator();
  scratch.zapSink = NO_ZAPS;
  for (const { event, atMs, relayId } of repeated) {
    const timing = timingOf(event.created_at, atMs);
    if (timing === 'current') scratch.recordUnique(event, atMs);
    else scratch.recordUntimely(event, atMs, timing);
    scratch.recordCopy(relayId, event.kind, atMs, true);
  }
  const s = scratch.buffer;
  // The winning copy was recorded in this same buffer (with its claim's answer): now a duplicate.
  for (const [key, row] of s.relayKind) {
    const mine = buffer.relayKind.get(key);
    if (mine) mine.duplicates += row.duplicates;
  }
  buffer.events -= s.events;
  subtractRows(buffer.network, s.network);
  subtractRows(buffer.clients, s.clients);
  subtractRows(buffer.clientUsers, s.clientUsers);
  subtractRows(buffer.pubkeys, s.pubkeys);
  subtractRows(buffer.activeHourly, s.activeHourly);
  subtractRows(buffer.articles, s.articles);
  for (const [key, row] of s.filtered.untimely) {
    const mine = buffer.filtered.untimely.get(key);
    if (!mine) continue;
    mine.late -= row.late;
    mine.future -= row.future;
    if (mine.late <= 0 && mine.future <= 0) buffer.filtered.untimely.delete(key);
  }
  for (const [key, row] of s.filtered.deletions) {
    const mine = buffer.filtered.deletions.get(key);
    if (!mine) continue;
    mine.deletions -= row.deletions;
    if (mine.deletions <= 0) buffer.filtered.deletions.delete(key);
  }
  buffer.durable.counted = buffer.durable.counted.without(new Set(repeated.map((c) => c.index)));
}
