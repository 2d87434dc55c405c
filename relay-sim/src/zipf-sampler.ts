import type { Rng } from './rng.js';

/** Draws indexes 0..n-1 with weight (i + 1)^-exponent (Zipf's law: index 0 is drawn most). */
export class ZipfSampler {
  private readonly cumulative: Float64Array;

  constructor(
    readonly size: number,
    exponent: number,
  ) {
    this.cumulative = new Float64Array(size);
    let total = 0;
    for (let i = 0; i < size; i++) {
      total += (i + 1) ** -exponent;
      this.cumulative[i] = total;
    }
  }

  /** One index, by weight. */
  draw(rng: Rng): number {
    const total = this.cumulative[this.size - 1] ?? 0;
    const r = rng.next() * total;
    let lo = 0;
    let hi = this.size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Up to `k` distinct indexes by weight, skipping those `skip` refuses. Gives up after many
   * repeated draws, since the heavy head is drawn again and again once taken.
   */
  distinct(rng: Rng, k: number, skip: (i: number) => boolean = () => false): number[] {
    const picked = new Set<number>();
    let attempts = 50 * k + 100;
    while (picked.size < k && attempts-- > 0) {
      const i = this.draw(rng);
      if (!skip(i)) picked.add(i);
    }
    return [...picked];
  }
}

/** A count with mean `mean`: the floor of an exponential draw (0 is the most likely). */
export function exponentialCount(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  // floor(Exp(λ)) has mean 1 / (e^λ − 1); this λ makes that mean equal `mean`.
  const lambda = Math.log(1 + 1 / mean);
  return Math.floor(-Math.log(1 - rng.next()) / lambda);
}

/** Shuffles `items` in place (Fisher–Yates), from the seed. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const a = items[i];
    const b = items[j];
    if (a === undefined || b === undefined) continue;
    items[i] = b;
    items[j] = a;
  }
  return items;
}
