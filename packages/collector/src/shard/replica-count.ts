import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '@nostr-info/shared/log';

/** Where the replica count N comes from; `current` is read on every reconcile tick. */
export interface ReplicaSource {
  readonly current: number;
  stop(): void;
}

/** A fixed count (COLLECTOR_REPLICAS), used outside Kubernetes. */
export function fixedReplicas(count: number): ReplicaSource {
  return { current: count, stop: () => undefined };
}

/** A StatefulSet as delivered by the watch API (only the fields read). */
export interface StatefulSetLike {
  metadata?: { name?: string };
  spec?: { replicas?: number };
}

/**
 * Follows a StatefulSet's `spec.replicas` from a stream of watch events. The stream itself is
 * pluggable so the handling is testable without an API server; `watchStatefulSet` plugs in the
 * real Kubernetes watch.
 */
export class StatefulSetReplicas implements ReplicaSource {
  private count: number;
  private stopper: (() => void) | undefined;

  constructor(
    readonly name: string,
    fallback: number,
    private readonly logger?: Logger,
  ) {
    this.count = fallback;
  }

  get current(): number {
    return this.count;
  }

  /** Applies one watch event (`ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK`, `ERROR`). */
  apply(type: string, object: StatefulSetLike | undefined): void {
    if (type !== 'ADDED' && type !== 'MODIFIED') return;
    if (object?.metadata?.name !== this.name) return;
    const replicas = object.spec?.replicas;
    // Scaled to 0 means this pod is going away; keep sharding by the last real count meanwhile.
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1) return;
    if (replicas !== this.count)
      this.logger?.info({ from: this.count, to: replicas }, 'replica count changed');
    this.count = replicas;
  }

  setStopper(stop: () => void): void {
    this.stopper = stop;
  }

  stop(): void {
    this.stopper?.();
  }
}

/**
 * Watches the StatefulSet with the in-cluster config; the watch is re-opened after it ends (the
 * API server closes watches every few minutes) with a short delay. The Kubernetes client is
 * loaded only here: importing it costs ~70 MB of RSS that a collector outside a cluster never needs.
 */
export async function watchStatefulSet(
  name: string,
  namespace: string,
  fallback: number,
  logger: Logger,
  kubeConfig?: KubeConfig,
): Promise<StatefulSetReplicas> {
  const k8s = await import('@kubernetes/client-node');
  const config = kubeConfig ?? new k8s.KubeConfig();
  if (!kubeConfig) config.loadFromCluster();
  const { Watch } = k8s;
  const source = new StatefulSetReplicas(name, fallback, logger);
  const watch = new Watch(config);
  let stopped = false;
  let abort: AbortController | undefined;
  let retry: NodeJS.Timeout | undefined;
  const start = () => {
    if (stopped) return;
    watch
      .watch(
        `/apis/apps/v1/namespaces/${namespace}/statefulsets`,
        { fieldSelector: `metadata.name=${name}` },
        (type, object) => source.apply(type, object as StatefulSetLike),
        (err) => {
          if (stopped) return;
          if (err) logger.warn({ err }, 'statefulset watch ended; reopening');
          retry = setTimeout(start, err ? 5000 : 500);
          retry.unref();
        },
      )
      .then((controller) => {
        abort = controller;
        if (stopped) controller.abort();
      })
      .catch((err: unknown) => {
        logger.warn({ err }, 'statefulset watch failed to start; retrying');
        retry = setTimeout(start, 5000);
        retry.unref();
      });
  };
  source.setStopper(() => {
    stopped = true;
    if (retry) clearTimeout(retry);
    abort?.abort();
  });
  start();
  return source;
}
