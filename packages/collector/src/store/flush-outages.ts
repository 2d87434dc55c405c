import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { OutageLog } from '../aggregate/outage-log.js';

type Tx = Kysely<Database>;

const dateOf = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * Writes the buffer's outages, in the flush transaction:
 * 1. a relay that served since this replica began watching it ends, at that moment, any outage
 *    left ongoing by its earlier holder (a replica that died or handed it over mid-outage);
 * 2. each confirmed outage is upserted by (relay, start). An outage of the relay that was still
 *    going on when this one started (an earlier holder's, which began before this replica could
 *    see the relay) takes the write instead, so a relay changing hands mid-outage keeps one
 *    outage from its true start.
 * Both are idempotent: writing the same log twice leaves the same rows.
 */
export async function flushOutages(tx: Tx, log: OutageLog): Promise<void> {
  const served = [...log.servedAt].sort(([a], [b]) => a - b);
  if (served.length > 0) {
    const relayIds = served.map(([relayId]) => relayId);
    const ats = served.map(([, at]) => new Date(at));
    // One statement for every relay of the flush (a flush waits for each answer while the socket
    // thread is busy). The ongoing outages it ends are locked first in one order, as the
    // statements one per relay took them.
    await sql`
      select 1 from relay_outages
       where relay_id = any(${relayIds}::int[]) and ended_at is null
       order by relay_id, started_at for update`.execute(tx);
    await sql`
      update relay_outages o set ended_at = v.at, updated_at = now()
        from unnest(${relayIds}::int[], ${ats}::timestamptz[]) as v(relay_id, at)
       where o.relay_id = v.relay_id and o.ended_at is null and o.started_at <= v.at`.execute(tx);
  }
  const rows = [...log.outages.values()].sort((a, b) => a.relayId - b.relayId || a.startedAt - b.startedAt);
  for (const r of rows) {
    const start = new Date(r.startedAt);
    const end = dateOf(r.endedAt);
    await sql`
      with adopted as (
        update relay_outages
           set ended_at = ${end}::timestamptz, cause = ${r.cause}, detail = ${r.detail}, updated_at = now()
         where relay_id = ${r.relayId} and started_at < ${start}
           and (ended_at is null or ended_at >= ${start})
        returning 1)
      insert into relay_outages (relay_id, started_at, ended_at, cause, detail)
      select ${r.relayId}, ${start}, ${end}::timestamptz, ${r.cause}, ${r.detail}
       where not exists (select 1 from adopted)
      on conflict (relay_id, started_at) do update
        set ended_at = excluded.ended_at, cause = excluded.cause, detail = excluded.detail,
            updated_at = now()`.execute(tx);
  }
}
