import type { RelayStatus } from '../db/schema.js';

/** How often a collector replica reports each relay it holds (`relays.held_at`). */
export const RELAY_HELD_REPORT_MS = 60_000;

/**
 * How long a watched relay's stored status stands without a report from a replica holding it:
 * five missed reports. After that no collector is watching it (all stopped, or the one that held
 * it died) and the status is shown as `unknown`.
 */
export const RELAY_STATUS_STALE_MS = 5 * RELAY_HELD_REPORT_MS;

/** The columns `currentRelayStatus` reads. */
export interface RelayStatusFacts {
  status: RelayStatus;
  watched: boolean;
  held_at: Date | null;
}

/**
 * A relay's status as of `now`: the stored one while a collector reports holding the relay,
 * `unknown` for a watched relay none has reported for `RELAY_STATUS_STALE_MS`. A relay that is not
 * watched keeps what its probe found.
 */
export function currentRelayStatus(row: RelayStatusFacts, now: Date): RelayStatus {
  if (!row.watched) return row.status;
  if (row.held_at && now.getTime() - row.held_at.getTime() <= RELAY_STATUS_STALE_MS) return row.status;
  return 'unknown';
}
