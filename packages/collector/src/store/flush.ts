import type { Database } from '@nostr-info/shared';
import type { Kysely } from 'kysely';
import type { CounterBuffer } from '../aggregate/counter-buffer.js';
import { flushContent } from './flush-content.js';
import { flushEventCounters } from './flush-events.js';
import { flushRelays } from './flush-relays.js';
import { flushUsers } from './flush-users.js';

/** Raised when a flush transaction fails; the buffer is kept for the next attempt. */
export class FlushError extends Error {
  override readonly name = 'FlushError';
}

/**
 * Writes one buffer in ONE transaction: either every counter of the flush lands or none does,
 * so a retry after a failure can never count anything twice.
 */
export async function writeBuffer(db: Kysely<Database>, buffer: CounterBuffer): Promise<void> {
  if (buffer.empty) return;
  try {
    await db.transaction().execute(async (tx) => {
      // Relays first: discovered relays and status rows are what the other tables point at.
      await flushRelays(tx, buffer);
      await flushEventCounters(tx, buffer);
      await flushUsers(tx, buffer);
      await flushContent(tx, buffer);
    });
  } catch (err) {
    throw new FlushError('flush transaction failed', { cause: err });
  }
}
