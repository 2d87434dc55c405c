import { type RelaySeen, shareSeen, tableBytes } from './relay-seen.js';

/** One relay's seen set as the budget sees it. */
export interface BudgetedSet {
  seen: RelaySeen;
  /** False while the connection waits for a checkpoint to be handed over (not started yet). */
  started: boolean;
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
