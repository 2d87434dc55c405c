import { z } from 'zod';
import { EnvError, type EnvProblem } from './env-error.js';
import { redactText, redactUrl } from './redact.js';
import { clusterNodesSchema, redisAuthProblems } from './redis-auth.js';

/**
 * The one place `process.env` is read. Each service role validates exactly the settings it uses
 * and fails at start with every problem listed (see `EnvError`).
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `"true"`/`"1"`/`"yes"` → true; `z.coerce.boolean()` would turn `"false"` into true. */
const bool = (fallback: boolean) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' ? v.toLowerCase() : v),
      z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }),
    )
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `expected an integer between ${min} and ${max}` })
    .int(`expected an integer between ${min} and ${max}`)
    .min(min, `expected an integer between ${min} and ${max}`)
    .max(max, `expected an integer between ${min} and ${max}`)
    .default(fallback);

const optionalInt = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected an integer between ${min} and ${max}` })
    .int(`expected an integer between ${min} and ${max}`)
    .min(min, `expected an integer between ${min} and ${max}`)
    .max(max, `expected an integer between ${min} and ${max}`)
    .optional();

const urlWithProtocols = (protocols: readonly string[], what: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `expected a ${what} URL (${protocols.map((p) => `${p}//`).join(' or ')})` },
  );

const postgresUrl = urlWithProtocols(['postgres:', 'postgresql:'], 'PostgreSQL');
const redisUrl = urlWithProtocols(['redis:', 'rediss:'], 'Redis');
const httpUrl = urlWithProtocols(['http:', 'https:'], 'HTTP');

const relayList = z
  .string()
  .transform((value) =>
    value
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .optional();

const common = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_PRETTY: bool(false),
};

const database = {
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_READ_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: int(1, 200, 10),
  DATA_DIR: z.string().min(1).default('./data'),
};

const cache = {
  REDIS_URL: redisUrl.optional(),
  REDIS_CLUSTER_NODES: clusterNodesSchema,
  /** Credentials for every cache connection, when not written into REDIS_URL / the node URLs. */
  REDIS_USERNAME: z.string().optional(),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_KEY_PREFIX: z.string().default('nostr-info:'),
};

const collector = {
  METRICS_PORT: int(1, 65535, 9464),
  RELAYS: relayList,
  RELAYS_FILE: z.string().min(1).optional(),
  FLUSH_INTERVAL_MS: int(100, 3_600_000, 10_000),
  FLUSH_MAX_EVENTS: int(1, 1_000_000, 1000),
  /** Upper bound on buffered, not yet flushed, keyed counters before sockets are paused. */
  BUFFER_MAX_KEYS: int(1000, 10_000_000, 200_000),
  COLLECTOR_REPLICAS: int(1, 1024, 1),
  POD_NAME: z.string().optional(),
  /** Ordinal override for local runs; normally parsed from POD_NAME. */
  COLLECTOR_ORDINAL: optionalInt(0, 1023),
  /** StatefulSet watched for the replica count; empty means use COLLECTOR_REPLICAS only. */
  STATEFULSET_NAME: z.string().optional(),
  POD_NAMESPACE: z.string().optional(),
  VERIFY_WORKERS: int(0, 64, 0),
  DEDUP_TTL_SECONDS: int(60, 604_800, 86_400),
  DISCOVERY_ENABLED: bool(true),
  DISCOVERY_MAX_RELAYS: int(0, 100_000, 500),
  RECONCILE_INTERVAL_MS: int(100, 600_000, 5_000),
  /** Seconds of created_at a reconnect asks for behind the gap, so late-published events arrive. */
  RESUME_LOOKBACK_SECONDS: int(0, 86_400, 900),
  /** Memory shared by the per-relay seen sets that make a look-back safe (MiB per replica). */
  RESUME_MEMORY_MB: int(1, 4096, 12),
};

const api = {
  PORT: int(1, 65535, 3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  RATE_LIMIT_MAX: int(1, 100_000_000, 100),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400, 900),
  TRUST_PROXY_HOPS: int(0, 32, 0),
  SSE_MAX_PER_CLIENT: int(1, 1000, 5),
};

const scheduler = {
  PUSHGATEWAY_URL: httpUrl.optional(),
  SNAPSHOT_HISTORY: int(1, 100_000, 288),
  HOURLY_RETENTION_DAYS: int(8, 3650, 92),
  RELAY_LOG_RETENTION_DAYS: int(1, 3650, 7),
};

const allInOne = {
  STATS_INTERVAL_SECONDS: int(5, 86_400, 300),
};

export const envSchemas = {
  migrate: z.object({ ...common, ...database }),
  collector: z.object({ ...common, ...database, ...cache, ...collector }),
  scheduler: z.object({ ...common, ...database, ...cache, ...scheduler }),
  api: z.object({ ...common, ...database, ...cache, ...api, ...scheduler }),
  'all-in-one': z.object({
    ...common,
    ...database,
    ...cache,
    ...collector,
    ...api,
    ...scheduler,
    ...allInOne,
  }),
} as const;

export type Role = keyof typeof envSchemas;
export type MigrateEnv = z.output<(typeof envSchemas)['migrate']>;
export type CollectorEnv = z.output<(typeof envSchemas)['collector']>;
export type SchedulerEnv = z.output<(typeof envSchemas)['scheduler']>;
export type ApiEnv = z.output<(typeof envSchemas)['api']>;
export type AllInOneEnv = z.output<(typeof envSchemas)['all-in-one']>;
export type EnvFor<R extends Role> = z.output<(typeof envSchemas)[R]>;
/** Settings every role has: logging and the database. */
export type BaseEnv = MigrateEnv;
/** Settings of roles that use the cache. */
export type CacheEnv = Pick<
  CollectorEnv,
  'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_USERNAME' | 'REDIS_PASSWORD' | 'REDIS_KEY_PREFIX'
>;

const SECRET_NAMES = /PASSWORD|SECRET|TOKEN/;

/** Shows a value given for `name` without credentials; a password is never shown at all. */
function shown(name: string, value: unknown): string {
  if (value === undefined) return '(not set)';
  if (SECRET_NAMES.test(name)) return '"***"';
  const text = name.endsWith('URL') ? redactUrl(String(value)) : redactText(String(value));
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/**
 * Validates the environment for a role. Empty strings count as unset, as Kubernetes renders
 * optional values that way. Throws `EnvError` listing every problem.
 */
export function loadEnv<R extends Role>(role: R, source: NodeJS.ProcessEnv = process.env): EnvFor<R> {
  const schema = envSchemas[role];
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const result = schema.safeParse(input);
  const problems: EnvProblem[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? '(env)');
      problems.push({ name, given: shown(name, input[name]), expected: issue.message });
    }
  }
  if ('REDIS_URL' in schema.shape && input.REDIS_URL && input.REDIS_CLUSTER_NODES) {
    problems.push({
      name: 'REDIS_CLUSTER_NODES',
      given: shown('REDIS_CLUSTER_NODES', input.REDIS_CLUSTER_NODES),
      expected: 'set either REDIS_URL or REDIS_CLUSTER_NODES, not both',
    });
  }
  if ('REDIS_URL' in schema.shape) problems.push(...redisAuthProblems(input, shown));
  if (problems.length > 0 || !result.success) throw new EnvError(role, problems);
  return result.data as EnvFor<R>;
}

/** One setting of a role and its default (for `--help`). */
export interface EnvSetting {
  name: string;
  /** The default as text; undefined when the setting is optional without a default. */
  defaultValue: string | undefined;
}

/** Every setting a role reads, in schema order, with its default. */
export function envSettings(role: Role): EnvSetting[] {
  const shape: Record<string, z.ZodType> = envSchemas[role].shape;
  return Object.entries(shape).map(([name, field]) => {
    const parsed = field.safeParse(undefined);
    const value = parsed.success ? parsed.data : undefined;
    return { name, defaultValue: value === undefined ? undefined : String(value) };
  });
}
