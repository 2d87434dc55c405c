import type { RelayMode } from './types.js';

/** A periodic task of one relay mode: it runs while the relay is in that mode, and only then. */
export class ModeInterval {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly mode: RelayMode,
    private readonly periodMs: number,
    private readonly tick: () => void,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts the task when the relay enters its mode, stops it when the relay leaves it. */
  follow(mode: RelayMode): void {
    if (mode === this.mode) this.timer ??= setInterval(this.tick, this.periodMs);
    else this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
