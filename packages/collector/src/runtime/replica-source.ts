import type { CollectorEnv } from '@nostr-info/shared/config';
import type { Logger } from '@nostr-info/shared/log';
import { fixedReplicas, type ReplicaSource, watchStatefulSet } from '../shard/replica-count.js';

/** The settings that say where the replica count comes from. */
export type ReplicaEnv = Pick<CollectorEnv, 'STATEFULSET_NAME' | 'POD_NAMESPACE' | 'COLLECTOR_REPLICAS'>;

/**
 * The replica count this replica shards by: the StatefulSet's, watched live so a scale-out
 * re-shards without a restart, when STATEFULSET_NAME is set; else COLLECTOR_REPLICAS.
 */
export async function replicaSource(env: ReplicaEnv, logger: Logger): Promise<ReplicaSource> {
  if (!env.STATEFULSET_NAME) return fixedReplicas(env.COLLECTOR_REPLICAS);
  return watchStatefulSet(
    env.STATEFULSET_NAME,
    env.POD_NAMESPACE ?? 'default',
    env.COLLECTOR_REPLICAS,
    logger.child({ module: 'statefulset-watch' }),
  );
}
