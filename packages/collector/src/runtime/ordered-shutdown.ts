/** One step of a shutdown: started once the step before it has finished. */
export interface ShutdownStep {
  /** The step's work; a promise it returns is waited for. */
  run(): unknown;
  /**
   * Waited for at most this long, then left to finish on its own: a step stuck on an unresponsive
   * dependency must not hold up the steps after it. Unset: waited for however long it takes.
   */
  deadlineMs?: number;
}

/**
 * Runs shutdown steps one after another, once however often it is asked to. The steps are built
 * when the shutdown begins, from the parts as they are then.
 */
export class OrderedShutdown {
  private running: Promise<void> | undefined;

  constructor(private readonly steps: () => readonly ShutdownStep[]) {}

  /** True once the shutdown has begun (whether or not it has finished). */
  get begun(): boolean {
    return this.running !== undefined;
  }

  /** Begins the shutdown, or joins the one under way; resolves once every step is done. */
  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<void> {
    for (const step of this.steps()) {
      const done = Promise.resolve(step.run());
      if (step.deadlineMs === undefined) await done;
      else await withDeadline(done, step.deadlineMs);
    }
  }
}

/** Resolves with `work`, or after `deadlineMs` if that comes first (a later failure is dropped). */
async function withDeadline(work: Promise<unknown>, deadlineMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, deadlineMs);
    // Never what keeps the process alive.
    timer.unref();
  });
  work.catch(() => undefined);
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
