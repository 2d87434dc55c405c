/**
 * Every status a relay can have, as stored and served:
 * - `online`: the relay answers the collector's subscription (EOSE or events on it);
 * - `unresponsive`: the socket is open but the subscription went unanswered past the answer timeout;
 * - `auth_required`, `payment_required`: the relay is up but serves only authenticated or paying
 *   clients (it said so with CLOSED, NOTICE or a NIP-42 challenge, and served nothing);
 * - `offline`: the last connection attempt failed or the socket closed;
 * - `stalled`: the socket went silent (not even a pong) and was replaced;
 * - `unknown`: no collector reports the relay (see `currentRelayStatus`);
 * - `error`: part of the schema, not written at present.
 */
export const RELAY_STATUSES = [
  'unknown',
  'online',
  'offline',
  'auth_required',
  'error',
  'stalled',
  'unresponsive',
  'payment_required',
] as const;

/** A relay's status as stored and served (see `RELAY_STATUSES`). */
export type RelayStatus = (typeof RELAY_STATUSES)[number];

/** Statuses of relays that are up but refuse to serve us: they are left out of uptime rankings. */
export const RESTRICTED_STATUSES: ReadonlySet<RelayStatus> = new Set<RelayStatus>([
  'auth_required',
  'payment_required',
]);

/**
 * How often a collector replica reports the relays it holds (`relays.held_at`). The
 * `relay_health_summary` view has the stale window (five of these) written in its SQL.
 */
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

/** The columns `currentRelayStatusSince` reads as well. */
export interface RelayStatusChangeFacts extends RelayStatusFacts {
  status_changed_at: Date | null;
}

/**
 * A relay's status as of `now`: the stored one while a collector reports holding the relay,
 * `unknown` once none has for `RELAY_STATUS_STALE_MS` (watched or not: a seed taken off the list
 * keeps the status its last holder wrote), and `unknown` for a watched relay none has ever
 * reported. A relay no collector ever held (a discovered one) keeps what its probe found.
 */
export function currentRelayStatus(row: RelayStatusFacts, now: Date): RelayStatus {
  if (row.held_at === null) return row.watched ? 'unknown' : row.status;
  return now.getTime() - row.held_at.getTime() <= RELAY_STATUS_STALE_MS ? row.status : 'unknown';
}

/**
 * When the status `currentRelayStatus` gives took effect: the stored change time while it is the
 * stored status (or the stored status is already `unknown`); the end of the last report's window
 * once the relay went `unknown` for want of reports; none for a watched relay no collector has
 * ever reported.
 */
export function currentRelayStatusSince(row: RelayStatusChangeFacts, now: Date): Date | null {
  if (row.status === 'unknown' || currentRelayStatus(row, now) === row.status) return row.status_changed_at;
  // Shown `unknown` in place of the stored status: never reported, or its reports stopped.
  return row.held_at === null ? null : new Date(row.held_at.getTime() + RELAY_STATUS_STALE_MS);
}
