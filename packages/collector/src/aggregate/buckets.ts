const HOUR_MS = 3_600_000;
/** Length of a slot: the resolution of the `24h` window's old edge (`*_5m` tables). */
export const SLOT_MS = 300_000;

/** UTC hour bucket of a receive time, as an ISO timestamp (`2026-11-24T05:00:00.000Z`). */
export function hourOf(ms: number): string {
  const start = Math.floor(ms / HOUR_MS) * HOUR_MS;
  // Almost every call falls in the same hour as the previous one (hot path: once per copy).
  if (start !== lastHourStart) {
    lastHourStart = start;
    lastHour = new Date(start).toISOString();
  }
  return lastHour;
}
let lastHourStart = Number.NaN;
let lastHour = '';

/** UTC 5-minute slot of a receive time, as an ISO timestamp (`2026-11-24T05:35:00.000Z`). */
export function slotOf(ms: number): string {
  const start = Math.floor(ms / SLOT_MS) * SLOT_MS;
  // Cached like `hourOf`: it runs once per copy too.
  if (start !== lastSlotStart) {
    lastSlotStart = start;
    lastSlot = new Date(start).toISOString();
  }
  return lastSlot;
}
let lastSlotStart = Number.NaN;
let lastSlot = '';

/**
 * The slot of `ms` within the hour bucket `hour`. Callers that name the hour and leave the time to
 * the clock (health accounting at the moment of the call) can cross an hour boundary between the
 * two readings: the time is then held to the hour's first or last slot, so a slot row never falls
 * outside the hour row it belongs to. A bucket that is not a time is kept as it is.
 */
export function slotIn(hour: string, ms: number): string {
  if (hourOf(ms) === hour) return slotOf(ms);
  const start = Date.parse(hour);
  if (Number.isNaN(start)) return hour;
  const at = Math.min(Math.max(ms, start), start + HOUR_MS - 1);
  return new Date(Math.floor(at / SLOT_MS) * SLOT_MS).toISOString();
}

/** UTC date (`2026-11-24`) of an hour bucket or any ISO timestamp. */
export function dayOf(isoHour: string): string {
  return isoHour.slice(0, 10);
}
