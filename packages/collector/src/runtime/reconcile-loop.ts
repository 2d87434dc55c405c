import type { Logger } from '@nostr-info/shared/log';
import type { CollectorMetrics } from '../observe/metrics.js';
import type { RelayListFile } from '../relay-list.js';
import type { Reconciler } from '../shard/reconciler.js';

/** What one reconcile round runs. */
export interface ReconcileLoopOptions {
  reconciler: Pick<Reconciler, 'tick'>;
  /** RELAYS_FILE watched for edits; absent when the list comes from RELAYS or the bundled list. */
  relayFile?: Pick<RelayListFile, 'changed' | 'seeded'>;
  /** Writes a relay list to the database; resolves with the relays it stopped watching. */
  seed: (relays: readonly string[]) => Promise<number>;
  /** Runs after every round, failed or not (shares the seen sets' memory out again). */
  afterRound: () => void;
  metrics: Pick<CollectorMetrics, 'dbErrors'>;
  logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * One reconcile round at a time: an edited relay list file is seeded, then the reconciler
 * converges the sockets. A round that fails is logged and the next tick tries again (the
 * reconciler is level-triggered, so nothing is lost by skipping one).
 */
export class ReconcileLoop {
  private running: Promise<void> | undefined;

  constructor(private readonly options: ReconcileLoopOptions) {}

  /** The round under way, if any (the shutdown waits for it, up to a deadline). */
  get current(): Promise<void> | undefined {
    return this.running;
  }

  /** Runs a round, or joins the one under way; never rejects. */
  run(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(): Promise<void> {
    const { reconciler, relayFile, seed, afterRound, metrics, logger } = this.options;
    try {
      const edited = relayFile?.changed();
      if (edited) {
        const unwatched = await seed(edited);
        relayFile?.seeded();
        logger.info({ relays: edited.length, unwatched }, 'relay list file changed: seeded again');
      }
      await reconciler.tick();
    } catch (err) {
      metrics.dbErrors.inc({ service: 'collector', operation: 'reconcile' });
      logger.warn({ err }, 'reconcile failed; retrying next tick');
    } finally {
      afterRound();
    }
  }
}
