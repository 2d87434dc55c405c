import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { CounterBuffer } from '../aggregate/counter-buffer.js';
import type { RecheckPacer } from '../zaps/recheck-pacer.js';
import { flushContent } from './flush-content.js';
import { type DurableWrite, flushDurable } from './flush-durable.js';
import { flushEventCounters } from './flush-events.js';
import { flushFiltered } from './flush-filtered.js';
import { flushFollows } from './flush-follows.js';
import { flushMonitorReports } from './flush-monitor-reports.js';
import { flushOutages } from './flush-outages.js';
import { flushRelays } from './flush-relays.js';
import { flushUsers } from './flush-users.js';
import { flushZapVerdicts } from './flush-zaps.js';
import { writeLatencyRows } from './relay-latency.js';

/**
 * Raised when a flush transaction fails. `uncertain` when it failed at COMMIT (the connection
 * went away after the statements ran): the transaction may have landed, which only the ledger
 * can tell (`flushLanded`); otherwise it was rolled back and the buffer can simply be retried.
 */
export class FlushError extends Error {
  override readonly name = 'FlushError';
  constructor(
    message: string,
    readonly uncertain: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Writes one buffer in ONE transaction: either every counter of the flush lands or none does.
 * The transaction also records `flushId` in the ledger (`collector_flushes`), so a flush whose
 * COMMIT answer was lost is never written twice (see `Flusher`).
 */
export async function writeBuffer(
  db: Kysely<Database>,
  buffer: CounterBuffer,
  flushId?: string,
  durable?: DurableWrite,
  rechecks?: RecheckPacer,
): Promise<void> {
  if (buffer.empty) return;
  let committing = false;
  try {
    await db.transaction().execute(async (tx) => {
      if (flushId) {
        await tx.insertInto('collector_flushes').values({ id: flushId }).execute();
        await tx
          .deleteFrom('collector_flushes')
          .where('at', '<', sql<Date>`now() - interval '1 day'`)
          .execute();
      }
      // The fence first (a fenced instance writes nothing), then what was already counted is
      // taken out of the counts before any of them is written.
      if (durable) await flushDurable(tx, buffer, durable);
      // Relays first: discovered relays and status rows are what the other tables point at.
      await flushRelays(tx, buffer);
      await flushOutages(tx, buffer.outages);
      await writeLatencyRows(tx, buffer.latency.held());
      await flushEventCounters(tx, buffer);
      await flushUsers(tx, buffer);
      await flushContent(tx, buffer);
      await flushFollows(tx, buffer);
      await flushZapVerdicts(tx, buffer.zapVerdicts, rechecks);
      await flushFiltered(tx, buffer);
      await flushMonitorReports(tx, buffer.monitorReports);
      committing = true;
    });
  } catch (err) {
    throw new FlushError('flush transaction failed', committing, { cause: err });
  }
}

/**
 * True when the flush `flushId` committed. Asked by inserting the same id: while the original
 * transaction is still finishing its COMMIT on the server, the insert waits for it on the key
 * (a plain read would not see the row yet and answer "did not land"); a conflict then means it
 * landed, a new row that it never will.
 */
export async function flushLanded(db: Kysely<Database>, flushId: string): Promise<boolean> {
  const inserted = await db
    .insertInto('collector_flushes')
    .values({ id: flushId })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted === undefined;
}
