import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** Every metric of this project starts with this. */
export const METRIC_PREFIX = 'nostr_info_';

export interface RegistryOptions {
  service: string;
  version?: string;
  /** Process metrics (CPU, memory, event loop lag); off in tests that build many registries. */
  defaultMetrics?: boolean;
}

/**
 * A fresh prom-client Registry with process metrics and `nostr_info_build_info`. One per process
 * (or per role in all-in-one, merged at scrape time with `Registry.merge`).
 */
export function createRegistry({
  service,
  version = PACKAGE_VERSION,
  defaultMetrics = true,
}: RegistryOptions): Registry {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const buildInfo = new Gauge({
    name: `${METRIC_PREFIX}build_info`,
    help: 'Build information; the value is always 1.',
    labelNames: ['service', 'version', 'node_version'],
    registers: [registry],
  });
  buildInfo.set({ service, version, node_version: process.version }, 1);
  return registry;
}

/** The version stamped into build_info. */
export const PACKAGE_VERSION = '0.1.0';
