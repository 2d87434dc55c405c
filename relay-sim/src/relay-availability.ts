/** One period a simulated relay's listener was down: `upAt` undefined while it still is. */
export interface DownPeriod {
  downAt: number;
  upAt: number | undefined;
}

/**
 * The truth of when a simulated relay was taken down and brought back (ms since the epoch): what
 * outage figures are checked against.
 */
export class RelayAvailability {
  private readonly log: DownPeriod[] = [];

  get periods(): readonly DownPeriod[] {
    return this.log;
  }

  get up(): boolean {
    return this.log.at(-1)?.upAt !== undefined || this.log.length === 0;
  }

  down(at: number): void {
    if (this.up) this.log.push({ downAt: at, upAt: undefined });
  }

  restored(at: number): void {
    const last = this.log.at(-1);
    if (last && last.upAt === undefined) last.upAt = at;
  }

  /** Milliseconds the relay was down within [fromMs, toMs). */
  downMsWithin(fromMs: number, toMs: number): number {
    let total = 0;
    for (const p of this.log) {
      const start = Math.max(fromMs, p.downAt);
      const end = Math.min(toMs, p.upAt ?? toMs);
      if (end > start) total += end - start;
    }
    return total;
  }
}
