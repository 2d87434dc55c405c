import type { K8sObject } from './helm.js';

/** A container with the pod spec and owning object it was found in. */
export interface ContainerRef {
  owner: K8sObject;
  // biome-ignore lint/suspicious/noExplicitAny: walks rendered manifests.
  podSpec: any;
  // biome-ignore lint/suspicious/noExplicitAny: walks rendered manifests.
  container: any;
}

/** The pod spec of a workload (Deployment, StatefulSet, Job, CronJob, Pod), if any. */
// biome-ignore lint/suspicious/noExplicitAny: walks rendered manifests.
export function podSpecOf(object: K8sObject): any {
  switch (object.kind) {
    case 'Pod':
      return object.spec;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template?.spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'Job':
      return object.spec?.template?.spec;
    default:
      return undefined;
  }
}

/** Every container of every workload. */
export function containers(objects: K8sObject[]): ContainerRef[] {
  return objects.flatMap((owner) => {
    const podSpec = podSpecOf(owner);
    if (!podSpec) return [];
    return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])].map((container) => ({
      owner,
      podSpec,
      container,
    }));
  });
}

/** Env var names a container gets: `env` entries plus the keys of ConfigMaps/Secrets in `envFrom`. */
export function envNames(ref: ContainerRef, objects: K8sObject[]): string[] {
  const names: string[] = (ref.container.env ?? []).map((e: { name: string }) => e.name);
  for (const from of ref.container.envFrom ?? []) {
    const source = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const object = objects.find((o) => o.kind === kind && o.metadata.name === source?.name);
    if (!object) throw new Error(`${kind} ${source?.name} referenced by envFrom is not rendered`);
    names.push(...Object.keys({ ...(object.data ?? {}), ...(object.stringData ?? {}) }));
  }
  return names;
}

/** One env entry of a container by name. */
// biome-ignore lint/suspicious/noExplicitAny: walks rendered manifests.
export function envEntry(ref: ContainerRef, name: string): any {
  return (ref.container.env ?? []).find((e: { name: string }) => e.name === name);
}

/** The service role a container runs: its first argument (`scheduler run` → `scheduler`). */
export function roleOf(ref: ContainerRef): string | undefined {
  return (ref.container.args ?? [])[0];
}

/** The container of the workload `kind` named `*suffix`. */
export function containerOf(objects: K8sObject[], kind: string, suffix: string): ContainerRef {
  const found = containers(objects).filter(
    (c) => c.owner.kind === kind && c.owner.metadata.name.endsWith(suffix),
  );
  if (found.length !== 1)
    throw new Error(`expected one container in ${kind} *${suffix}, found ${found.length}`);
  return found[0] as ContainerRef;
}

/** Every label selector of an object (workload selector, Service, PDB, NetworkPolicy, ServiceMonitor). */
export function selectorsOf(object: K8sObject): Record<string, string>[] {
  const s = object.spec ?? {};
  const found: Record<string, string>[] = [];
  if (object.kind === 'Service' && s.selector) found.push(s.selector);
  if (s.selector?.matchLabels) found.push(s.selector.matchLabels);
  if (s.podSelector?.matchLabels && Object.keys(s.podSelector.matchLabels).length > 0) {
    found.push(s.podSelector.matchLabels);
  }
  for (const t of podSpecOf(object)?.topologySpreadConstraints ?? []) {
    if (t.labelSelector?.matchLabels) found.push(t.labelSelector.matchLabels);
  }
  return found;
}

/** Pod template labels of a workload. */
export function podLabelsOf(object: K8sObject): Record<string, string> | undefined {
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template?.metadata?.labels;
  if (object.kind === 'Pod') return object.metadata.labels;
  return object.spec?.template?.metadata?.labels;
}
