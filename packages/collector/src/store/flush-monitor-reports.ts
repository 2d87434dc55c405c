import type { Database } from '@nostr-info/shared/db';
import { type Kysely, sql } from 'kysely';
import type { MonitorReports } from '../monitor/monitor-reports.js';
import { chunkRows } from './chunks.js';

/**
 * Upserts other monitors' reports of relays the database knows (watched, seeded or discovery
 * candidates, written earlier in the same flush): a monitor naming made-up or private addresses
 * adds no rows. A row is replaced only by a newer report (newest created_at, ties to the lowest
 * id), so replicas and late copies can write in any order.
 */
export async function flushMonitorReports(tx: Kysely<Database>, reports: MonitorReports): Promise<void> {
  if (reports.keys === 0) return;
  const urls = [...new Set([...reports.rows.values()].map((r) => r.relayUrl))];
  const known = new Set<string>();
  for (const part of chunkRows(urls, 1))
    for (const r of await tx.selectFrom('relays').select('url').where('url', 'in', part).execute())
      known.add(r.url);
  const rows = [...reports.rows.values()]
    .filter((r) => known.has(r.relayUrl))
    .sort((a, b) =>
      a.relayUrl === b.relayUrl
        ? a.monitorPubkey < b.monitorPubkey
          ? -1
          : 1
        : a.relayUrl < b.relayUrl
          ? -1
          : 1,
    );
  for (const part of chunkRows(rows, 6)) {
    await tx
      .insertInto('monitor_reports')
      .values(
        part.map((r) => ({
          monitor_pubkey: r.monitorPubkey,
          relay_url: r.relayUrl,
          event_id: r.eventId,
          reported_at: new Date(r.reportedAt),
          rtt_open_ms: r.rttOpenMs,
          rtt_read_ms: r.rttReadMs,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['relay_url', 'monitor_pubkey'])
          .doUpdateSet({
            event_id: sql`excluded.event_id`,
            reported_at: sql`excluded.reported_at`,
            rtt_open_ms: sql`excluded.rtt_open_ms`,
            rtt_read_ms: sql`excluded.rtt_read_ms`,
            received_at: sql`now()`,
          })
          .where(
            sql<boolean>`excluded.reported_at > monitor_reports.reported_at or (excluded.reported_at = monitor_reports.reported_at and excluded.event_id < monitor_reports.event_id)`,
          ),
      )
      .execute();
  }
}
