import type { RangeWindow } from '@nostr-info/scheduler';
import type { Database } from '@nostr-info/shared/db';
import type { Kysely } from 'kysely';

/** Most outages one answer lists (the newest). */
export const MAX_OUTAGES = 1000;

/** One relay's outages as the route lists them. */
export interface OutagesRead {
  rows: { started_at: Date; ended_at: Date | null; cause: string; detail: string | null }[];
  truncated: boolean;
}

/** The relay's confirmed outages overlapping the window, newest first (at most `MAX_OUTAGES`). */
export async function readOutages(
  db: Kysely<Database>,
  relayId: number,
  window: RangeWindow,
): Promise<OutagesRead> {
  let q = db
    .selectFrom('relay_outages')
    .select(['started_at', 'ended_at', 'cause', 'detail'])
    .where('relay_id', '=', relayId)
    .where('started_at', '<=', window.now)
    .orderBy('started_at', 'desc')
    .limit(MAX_OUTAGES + 1);
  const start = window.start;
  if (start) q = q.where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', start)]));
  const rows = await q.execute();
  return { rows: rows.slice(0, MAX_OUTAGES), truncated: rows.length > MAX_OUTAGES };
}
