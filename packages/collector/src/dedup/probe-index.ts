/**
 * An open-addressing index with linear probing over an Int32Array whose size is a power of two:
 * each slot holds a record number + 1 (0 = empty). The records live elsewhere; `homeOf` gives a
 * stored value's home slot (already masked). Used by the verified ids and the bad-copy rings.
 */

/** Puts `value` (record + 1) in the first free slot from `home`. */
export function placeInIndex(index: Int32Array, mask: number, home: number, value: number): void {
  let i = home;
  while ((index[i] ?? 0) !== 0) i = (i + 1) & mask;
  index[i] = value;
}

/**
 * Takes `value` out of the index. Backward-shift deletion: later entries of the probe chain move
 * back into the hole unless their home lies cyclically in (hole, their slot], so every lookup
 * still finds what it looks for without tombstones.
 */
export function removeFromIndex(
  index: Int32Array,
  mask: number,
  value: number,
  homeOf: (value: number) => number,
): void {
  let i = homeOf(value);
  while ((index[i] ?? 0) !== value) {
    if ((index[i] ?? 0) === 0) return;
    i = (i + 1) & mask;
  }
  index[i] = 0;
  for (let j = (i + 1) & mask; (index[j] ?? 0) !== 0; j = (j + 1) & mask) {
    const k = homeOf(index[j] ?? 0);
    const stays = i <= j ? i < k && k <= j : i < k || k <= j;
    if (stays) continue;
    index[i] = index[j] ?? 0;
    index[j] = 0;
    i = j;
  }
}
