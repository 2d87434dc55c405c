import type { MonitorReportRow } from './read-report.js';

/**
 * Other monitors' reports waiting for the next flush: the newest per (relay, monitor), as the
 * table keeps them (newest created_at, ties to the lowest id), so a monitor republishing every
 * minute holds one key per relay.
 */
export class MonitorReports {
  readonly rows = new Map<string, MonitorReportRow>();

  get keys(): number {
    return this.rows.size;
  }

  add(row: MonitorReportRow): void {
    const key = `${row.relayUrl}|${row.monitorPubkey}`;
    const current = this.rows.get(key);
    if (
      !current ||
      row.reportedAt > current.reportedAt ||
      (row.reportedAt === current.reportedAt && row.eventId < current.eventId)
    )
      this.rows.set(key, row);
  }

  /** Takes in the rows of a buffer whose flush failed. */
  mergeFrom(older: MonitorReports): void {
    for (const row of older.rows.values()) this.add(row);
  }
}
