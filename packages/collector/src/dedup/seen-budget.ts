import type { RelaySeen } from './relay-seen.js';
import { MAX_LOAD, MAX_SEEN_CAPACITY, MIN_SLOTS, tableBytes, WORDS } from './seen-table.js';

/** Fewest ids a relay's set keeps, however many relays share the budget. */
export const MIN_SEEN_CAPACITY = 192;

/**
 * Ids each relay's seen set may keep when `relays` sets share `budgetBytes`: the largest power
 * of two of slots whose tables all fit the budget, filled to the table's load bound. A fixed
 * per-relay size would not bound a replica: 2,000 busy relays at 12,288 ids each hold 384 MiB.
 * Only below `MIN_SEEN_CAPACITY` per relay does the total exceed the budget.
 */
export function seenCapacity(relays: number, budgetBytes: number): number {
  return capacityIn(budgetBytes / Math.max(1, relays));
}

/** The most ids a table of at most `bytes` holds (a power of two of slots, at the load bound). */
function capacityIn(bytes: number): number {
  let slots = MIN_SLOTS;
  while (slots * 2 * WORDS * 4 <= bytes && slots * 2 * MAX_LOAD <= MAX_SEEN_CAPACITY) slots *= 2;
  return Math.max(MIN_SEEN_CAPACITY, Math.floor(slots * MAX_LOAD));
}

/**
 * Splits `budgetBytes` among seen sets by need (the ids each would keep to cover its look-back;
 * `Infinity` when not known): sets needing less than an equal share of what is left get a table
 * that holds their need, smallest first; the others all get one equal share of the rest
 * (water-filling; what rounding leaves is not handed out, so equally busy sets never trade
 * places). Quiet relays do not hold memory busy ones lack, and the total stays within the
 * budget (above `MIN_SEEN_CAPACITY` per set).
 */
export function shareSeen(needs: readonly number[], budgetBytes: number): number[] {
  const capacities = new Array<number>(needs.length).fill(MIN_SEEN_CAPACITY);
  const order = needs.map((need, i) => ({ need: Math.max(0, need), i })).sort((a, b) => a.need - b.need);
  let left = budgetBytes;
  let sets = needs.length;
  let equal: number | undefined;
  for (const { need, i } of order) {
    if (equal === undefined) {
      const wanted = Number.isFinite(need) ? tableBytes(Math.min(need, MAX_SEEN_CAPACITY) + 1) : left;
      if (wanted <= left / sets) {
        const capacity = capacityIn(wanted);
        capacities[i] = capacity;
        left -= tableBytes(capacity);
        sets -= 1;
        continue;
      }
      equal = capacityIn(left / sets);
    }
    capacities[i] = equal;
  }
  return capacities;
}

/** One relay's seen set as the budget sees it. */
export interface BudgetedSet {
  readonly seen: RelaySeen;
  /** False while the connection waits for a checkpoint to be handed over (not started yet). */
  readonly started: boolean;
}

/** Time constant of the rate average (seconds). */
const RATE_TAU_SECONDS = 60;

/**
 * Shares one memory budget among a replica's seen sets by need, once per reconcile tick. A set's
 * need is the ids its relay delivers over the look-back window (an average rate of ids added,
 * ×1.25), never less than what it holds, so a disconnected relay keeps what its resume needs.
 * Unknown (`Infinity`, an equal share of what quiet relays leave): a connection not started yet
 * (a checkpoint may still be imported into it) and one in its first tick of deliveries.
 * Capacities only shrink when keeping them would not fit the budget, so noise in the rates does
 * not make sets trade memory (and evict ids) tick after tick.
 */
export class SeenBudget {
  private readonly rates = new WeakMap<RelaySeen, { added: number; at: number; rate: number }>();

  constructor(
    private readonly budgetBytes: number,
    private readonly lookbackSeconds: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The need of one set (ids), updating its rate. */
  need({ seen, started }: BudgetedSet): number {
    seen.prune();
    if (!started) return Number.POSITIVE_INFINITY;
    if (seen.added === 0) return seen.size;
    const at = this.now();
    const last = this.rates.get(seen);
    if (!last) {
      this.rates.set(seen, { added: seen.added, at, rate: Number.NaN });
      return Number.POSITIVE_INFINITY;
    }
    let rate = last.rate;
    const seconds = (at - last.at) / 1000;
    if (seconds > 0) {
      const current = (seen.added - last.added) / seconds;
      const weight = 1 - Math.exp(-seconds / RATE_TAU_SECONDS);
      rate = Number.isNaN(rate) ? current : rate + weight * (current - rate);
      this.rates.set(seen, { added: seen.added, at, rate });
    }
    if (Number.isNaN(rate)) return Number.POSITIVE_INFINITY;
    return Math.max(seen.size, rate * this.lookbackSeconds * 1.25);
  }

  /** Sets every set's capacity for the coming tick. */
  rebalance(sets: readonly BudgetedSet[]): void {
    const shares = shareSeen(
      sets.map((s) => this.need(s)),
      this.budgetBytes,
    );
    // Keep what each set has when that and the new shares still fit the budget together.
    let kept = 0;
    for (const [i, s] of sets.entries()) kept += tableBytes(Math.max(s.seen.limit, shares[i] as number));
    const keep = kept <= this.budgetBytes;
    for (const [i, s] of sets.entries()) {
      const share = shares[i] as number;
      s.seen.setCapacity(keep ? Math.max(s.seen.limit, share) : share);
    }
  }
}
