import type { Aggregator } from '../aggregate/aggregator.js';
import type { EventPipeline } from '../pipeline.js';
import type { ConnectionHost } from '../relay/relay-connection.js';
import type { BackPressure } from './back-pressure.js';

/** What the connections report to and are held back by. */
export interface ConnectionHostParts extends Pick<ConnectionHost, 'logger' | 'metrics'> {
  /** Its live counter buffer is replaced at every flush, so it is read at each use. */
  aggregator: Pick<Aggregator, 'buffer'>;
  pipeline: Pick<EventPipeline, 'handle'>;
  backPressure: Pick<BackPressure, 'afterFrame' | 'paused'>;
}

/** The collector as its connections see it: frames go to the pipeline, back-pressure may pause. */
export function connectionHost({
  logger,
  metrics,
  aggregator,
  pipeline,
  backPressure,
}: ConnectionHostParts): ConnectionHost {
  return {
    logger,
    metrics,
    buffer: () => aggregator.buffer,
    onEventFrame: (conn, raw, atMs) => {
      const inFilter = pipeline.handle(conn, raw, atMs);
      backPressure.afterFrame();
      return inFilter;
    },
    paused: () => backPressure.paused,
  };
}
