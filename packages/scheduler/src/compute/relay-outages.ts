import type { Database } from '@nostr-info/shared/db';
import type { Kysely } from 'kysely';
import type { RangeWindow } from './range-window.js';
import type { OutageSpan } from './relay-sla.js';

/**
 * The confirmed outages overlapping the window, per relay id, oldest first: begun before the run's
 * clock and not ended before the window's start.
 */
export async function readRelayOutages(
  db: Kysely<Database>,
  window: RangeWindow,
): Promise<Map<number, OutageSpan[]>> {
  let q = db
    .selectFrom('relay_outages')
    .select(['relay_id', 'started_at', 'ended_at'])
    .where('started_at', '<=', window.now)
    .orderBy('relay_id')
    .orderBy('started_at');
  const start = window.start;
  if (start) q = q.where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', start)]));
  const byRelay = new Map<number, OutageSpan[]>();
  for (const r of await q.execute()) {
    const list = byRelay.get(r.relay_id);
    const span = { started_at: r.started_at, ended_at: r.ended_at };
    if (list) list.push(span);
    else byRelay.set(r.relay_id, [span]);
  }
  return byRelay;
}
