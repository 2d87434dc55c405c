const HOUR_MS = 3_600_000;

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

/** UTC date (`2026-11-24`) of an hour bucket or any ISO timestamp. */
export function dayOf(isoHour: string): string {
  return isoHour.slice(0, 10);
}
