/**
 * Geometry of a relay's seen table (see `RelaySeen`), shared with the memory budget that sizes
 * the tables (see `SeenBudget`): 32-bit words, a power of two of slots, a load bound.
 */

/** Words per slot: id bits 0-31, id bits 32-63, created_at + 1 (0 marks an empty slot). */
export const WORDS = 3;
/** Slots of the smallest table. */
export const MIN_SLOTS = 16;
/** Most a table is filled before it grows (open addressing slows down past it). */
export const MAX_LOAD = 0.75;

/** Most ids one relay's set keeps (12 bytes × 16,384 slots = 192 KiB). */
export const MAX_SEEN_CAPACITY = 12_288;

/** Slots of the smallest table holding `entries` ids within the load bound. */
export function slotsFor(entries: number): number {
  let slots = MIN_SLOTS;
  while (slots * MAX_LOAD < entries) slots *= 2;
  return slots;
}

/** Bytes of the table a set of `capacity` ids grows to. */
export function tableBytes(capacity: number): number {
  return slotsFor(capacity) * WORDS * 4;
}
