/** A relay that stopped serving less than this long ago is redialled within `FAST_REDIAL_MS`. */
export const FAST_WINDOW_MS = 5 * 60_000;
/** The longest wait between redials of a relay that served within `FAST_WINDOW_MS`. */
export const FAST_REDIAL_MS = 4000;
/** Past the fast window, the wait may grow to this share of the time the relay has been away. */
const SHARE_OF_DOWNTIME = 0.1;

/**
 * The longest wait before redialling a relay that has not served for `downForMs` (since it last
 * served on this connection); `fastMs` in the first minutes. Short outages are the common kind (restarts, deploys), so the
 * first minutes are redialled every few seconds and an outage's end is seen within seconds;
 * after that the wait grows with the time away (a tenth of it: about 6 minutes after an hour),
 * up to `maxMs`, so a relay dead for hours is dialled a few times an hour and not hammered.
 */
export function redialCapMs(downForMs: number, maxMs: number, fastMs = FAST_REDIAL_MS): number {
  if (downForMs < FAST_WINDOW_MS) return Math.min(fastMs, maxMs);
  return Math.min(maxMs, Math.max(fastMs, downForMs * SHARE_OF_DOWNTIME));
}
