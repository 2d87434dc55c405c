// Over 400 lines: every setting of every role stays in one validated schema, the one place the
// environment is read (t3-env), so a setting is defined, checked and documented once.
import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { tryNormalizeRelayUrl } from '../relay/normalize-url.js';
import { documented, type EnvDocRole } from './env-doc-registry.js';
import { EnvError, type EnvProblem } from './env-error.js';
import { redactText, redactUrl } from './redact.js';
import { clusterNodesSchema, redisAuthProblems } from './redis-auth.js';
import { parseSecretKey } from './secret-key.js';

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

/** A file that exists when the service starts (a typo in a mounted path fails at start, not hours later). */
const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();

/** Comma-separated paths of existing files. */
const fileList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((paths) => paths.length > 0 && paths.every(isFile), { error: 'expected existing files' })
  .optional();

const fraction = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `expected a number between ${min} and ${max}` })
    .min(min, `expected a number between ${min} and ${max}`)
    .max(max, `expected a number between ${min} and ${max}`)
    .default(fallback);

/** The comma- or space-separated items of `value`, each mapped by `each` and listed once. */
function distinctItems(value: string, each: (item: string) => string): string[] {
  return [
    ...new Set(
      value
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(each),
    ),
  ];
}

/** Comma- or space-separated 64-hex pubkeys (lowercased), each once. */
const pubkeyList = z
  .string()
  .transform((value) => distinctItems(value, (s) => s.toLowerCase()))
  .refine((keys) => keys.every((k) => /^[0-9a-f]{64}$/.test(k)), { error: 'expected 64-hex pubkeys' })
  .default([]);

/** A Nostr secret key, 64 hex digits or `nsec1…`, as lower-case hex (`parseSecretKey`). */
const secretKey = z
  .string()
  .refine(
    (value) => {
      try {
        parseSecretKey(value);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'expected 64 hex digits or an nsec1… key holding a valid secp256k1 secret key' },
  )
  .transform(parseSecretKey);

/** Comma- or space-separated ws(s) URLs, each normalised and listed once. */
const wsUrlList = z
  .string()
  .transform((value) => distinctItems(value, normalizedWsUrl))
  .refine((urls) => urls.every((url) => url !== ''), { error: 'expected ws:// or wss:// URLs' })
  .refine((urls) => urls.length <= 20, { error: 'expected at most 20 URLs' })
  .optional();

/** The normalised form of a ws(s) URL, '' for anything else (refused by the schema). */
function normalizedWsUrl(value: string): string {
  return tryNormalizeRelayUrl(value) ?? '';
}

// Roles named in the settings' documentation below (`documented`).
const CACHE_ROLES: readonly EnvDocRole[] = ['collector', 'scheduler', 'api'];
const COLLECTOR: readonly EnvDocRole[] = ['collector'];
const API: readonly EnvDocRole[] = ['api'];
const SCHEDULER: readonly EnvDocRole[] = ['scheduler'];
const ALL_IN_ONE: readonly EnvDocRole[] = ['all-in-one'];

const common = {
  NODE_ENV: documented(z.enum(['development', 'production', 'test']).default('production'), {
    roles: 'all',
    meaning:
      '`development`, `production` or `test`; checked, but nostr-info behaves the same under each ' +
      '(the image sets `production`)',
  }),
  LOG_LEVEL: documented(
    z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    { roles: 'all', meaning: '`fatal` … `trace`, `silent`' },
  ),
  LOG_PRETTY: documented(bool(false), {
    roles: 'all',
    meaning: 'human-readable logs (development only; production logs are NDJSON)',
  }),
};

const database = {
  DATABASE_URL: documented(postgresUrl.optional(), {
    roles: 'all',
    shown: '— (embedded PGlite)',
    meaning: 'primary PostgreSQL 15+ (`postgres://…`); unset: embedded database under `DATA_DIR`',
  }),
  DATABASE_READ_URL: documented(postgresUrl.optional(), {
    roles: 'all',
    shown: '`DATABASE_URL`',
    meaning: 'read replica; the scheduler and API read from it',
  }),
  DATABASE_POOL_MAX: documented(int(1, 200, 10), { roles: 'all', meaning: 'connections per pool' }),
  DATA_DIR: documented(z.string().min(1).default('./data'), {
    roles: 'all',
    meaning: 'where the embedded database lives (survives restarts)',
  }),
};

const cache = {
  REDIS_URL: documented(redisUrl.optional(), {
    roles: CACHE_ROLES,
    meaning: 'single Redis node (`redis://…`, `rediss://…`)',
  }),
  REDIS_CLUSTER_NODES: documented(clusterNodesSchema, {
    roles: CACHE_ROLES,
    meaning:
      'Redis Cluster seed nodes `host:port,host:port`; set this or `REDIS_URL`, not both; neither: ' +
      'in-process cache. An entry may be `redis://user:password@host:port`: its credentials are used ' +
      'for every node',
  }),
  /** Credentials for every cache connection, when not written into REDIS_URL / the node URLs. */
  REDIS_USERNAME: documented(z.string().optional(), {
    roles: CACHE_ROLES,
    meaning: 'ACL user for Redis or every Redis Cluster node (needs `REDIS_PASSWORD`)',
  }),
  REDIS_PASSWORD: documented(z.string().optional(), {
    roles: CACHE_ROLES,
    meaning:
      'password for Redis or every Redis Cluster node; give credentials here or in the URL(s), not ' +
      'both; never shown in errors or logs',
  }),
  REDIS_KEY_PREFIX: documented(z.string().default('nostr-info:'), {
    roles: CACHE_ROLES,
    meaning: 'prefix of every key and channel',
  }),
};

const collector = {
  METRICS_PORT: documented(int(1, 65535, 9464), {
    roles: COLLECTOR,
    meaning: '`/metrics` and `/health` of a standalone collector',
  }),
  RELAYS: documented(relayList, { roles: COLLECTOR, meaning: 'comma- or space-separated relay URLs' }),
  RELAYS_FILE: documented(z.string().min(1).optional(), {
    roles: COLLECTOR,
    shown: 'bundled seed list',
    meaning:
      'file with one relay URL per line; read again when it changes (a ConfigMap edited in place), ' +
      'no restart needed',
  }),
  FLUSH_INTERVAL_MS: documented(int(100, 3_600_000, 10_000), {
    roles: COLLECTOR,
    meaning: 'flush aggregated counts at least this often',
  }),
  FLUSH_MAX_EVENTS: documented(int(1, 1_000_000, 1000), {
    roles: COLLECTOR,
    meaning: '… or when this many events are buffered',
  }),
  /** Upper bound on buffered, not yet flushed, keyed counters before sockets are paused. */
  BUFFER_MAX_KEYS: documented(int(1000, 10_000_000, 200_000), {
    roles: COLLECTOR,
    meaning: 'bound on buffered counters; sockets pause when reached',
  }),
  COLLECTOR_REPLICAS: documented(int(1, 1024, 1), {
    roles: COLLECTOR,
    meaning: 'replica count (fallback when the StatefulSet cannot be watched)',
  }),
  POD_NAME: documented(z.string().optional(), {
    roles: COLLECTOR,
    meaning: 'pod name; the ordinal is its `-<n>` suffix',
  }),
  /** Ordinal override for local runs; normally parsed from POD_NAME. */
  COLLECTOR_ORDINAL: documented(optionalInt(0, 1023), {
    roles: COLLECTOR,
    shown: 'from `POD_NAME`, else 0',
    meaning: 'ordinal override for local runs',
  }),
  /** StatefulSet watched for the replica count; empty means use COLLECTOR_REPLICAS only. */
  STATEFULSET_NAME: documented(z.string().optional(), {
    roles: COLLECTOR,
    meaning: 'StatefulSet watched for the replica count; unset: `COLLECTOR_REPLICAS` only',
  }),
  POD_NAMESPACE: documented(z.string().optional(), {
    roles: COLLECTOR,
    shown: '`default`',
    meaning: 'namespace of the StatefulSet in `STATEFULSET_NAME`',
  }),
  VERIFY_WORKERS: documented(int(0, 64, 0), {
    roles: COLLECTOR,
    shown: '`0` (auto)',
    meaning: 'signature-verification worker threads',
  }),
  DEDUP_TTL_SECONDS: documented(int(60, 604_800, 86_400), {
    roles: COLLECTOR,
    meaning:
      'how long an event id stays in the network-wide dedup set; resumed replays stay within it (less ' +
      'a tenth, at most an hour). An event delivered live again after that (a relay that syncs older ' +
      'events from another pushes them to live subscriptions) is counted network-wide again; up to ' +
      '`604800` (7 days) narrows that at ~170 bytes of Redis memory per unique event for the whole TTL',
  }),
  DISCOVERY_ENABLED: documented(bool(true), {
    roles: COLLECTOR,
    meaning: 'record relays found in kind 10002 / kind 3 relay lists',
  }),
  DISCOVERY_MAX_RELAYS: documented(int(0, 100_000, 500), {
    roles: COLLECTOR,
    meaning: 'cap on discovered relays admitted into the watched set',
  }),
  RECONCILE_INTERVAL_MS: documented(int(100, 600_000, 5_000), {
    roles: COLLECTOR,
    meaning: 'how often the collector converges its sockets to its share',
  }),
  /** Seconds of created_at a reconnect asks for behind the gap, so late-published events arrive. */
  RESUME_LOOKBACK_SECONDS: documented(int(0, 86_400, 900), {
    roles: COLLECTOR,
    meaning:
      'after a disconnect, events this much older than the last frame before the gap are asked for ' +
      "again (late-published events); each relay's seen set covers the window so nothing counts " +
      "twice. A resume never reaches below the relay's first subscription (before it, another " +
      'process may have counted the relay) nor further back than `DEDUP_TTL_SECONDS` less a margin',
  }),
  /** How far back durable state lets a resume after a crash reach (see docs/operations.md). */
  DURABLE_WINDOW_SECONDS: documented(int(600, 604_800, 7_200), {
    roles: COLLECTOR,
    meaning:
      'seconds of created_at the database keeps the ids counted (network-wide and per relay) and ' +
      "each relay's resume point for: a collector restarted after a crash (kill -9, OOM, node loss) " +
      'resumes every relay from its last committed flush, less `RESUME_LOOKBACK_SECONDS`, and counts ' +
      'nothing twice, for outages up to this long less the look-back; a longer one resumes at the window',
  }),
  /** Memory shared by the per-relay seen sets that make a look-back safe (MiB per replica). */
  RESUME_MEMORY_MB: documented(int(1, 4096, 12), {
    roles: COLLECTOR,
    meaning:
      'memory (MiB per replica) the per-relay seen sets share, by need: a relay gets room for the ids ' +
      'it delivers over the look-back window (at most 12,288) while the budget lasts, the busy ones ' +
      'share the rest (at 12 MiB with every relay busy: ≥ 3,072 ids a relay at 240 relays, ≥ 384 at ' +
      '2,000), so memory stays bounded with 240 or 2,000 relays; a busy relay whose share fills gets ' +
      'a shorter look-back, counted in `resumes_capped_total`',
  }),
  NIP11_REFRESH_SECONDS: documented(int(300, 604_800, 21_600), {
    roles: COLLECTOR,
    meaning:
      "how often each held relay's NIP-11 document is fetched again, besides after every reconnect; " +
      'a change of name, software, version, supported NIPs, limitation or fees goes into the ' +
      "relay's change log (`/api/v1/relays/:url/changes`)",
  }),
  GEOIP_COUNTRY_DB: documented(z.string().refine(isFile, { error: 'expected an existing file' }).optional(), {
    roles: COLLECTOR,
    shown: 'bundled DB-IP country database',
    meaning:
      "MaxMind DB (`.mmdb`) file the network census locates relays' addresses in by country " +
      '(`country_code` or MaxMind `country.iso_code` records); point it at a newer file to refresh',
  }),
  GEOIP_ASN_DB: documented(fileList, {
    roles: COLLECTOR,
    shown: 'bundled RouteViews + DB-IP ASN table',
    meaning:
      'comma-separated `start,end,asn,organisation` CSV files, or one MaxMind ASN `.mmdb` file, the ' +
      "network census finds each relay address's autonomous system in; point it at newer files to refresh",
  }),
  /** Test-only: lets zap verification fetch LNURL documents from a local plain-http server. */
  LNURL_ALLOW_INSECURE: documented(bool(false), {
    roles: COLLECTOR,
    meaning:
      'test-only: LNURL-pay documents (the zap provider keys zap receipts are checked against) may ' +
      'be fetched over plain http and from loopback addresses, and `name@domain` addresses are ' +
      'fetched over http. Off, only https to public addresses is used; on, a warning is logged at start',
  }),
};

/** The NIP-66 monitor (`packages/collector/src/monitor`): off unless a key and relays are set. */
const monitor = {
  MONITOR_SECRET_KEY: documented(secretKey.optional(), {
    roles: COLLECTOR,
    shown: '— (no publishing)',
    meaning:
      'NIP-66 monitor key (64 hex digits or `nsec1…`) that signs the kind 10166 announcement and the ' +
      'kind 30166 relay reports; a secret, never shown in errors or logs; set it and ' +
      '`MONITOR_PUBLISH_RELAYS`, or neither',
  }),
  MONITOR_PUBLISH_RELAYS: documented(wsUrlList, {
    roles: COLLECTOR,
    meaning: 'relays (comma- or space-separated ws(s) URLs, at most 20) the monitor publishes to',
  }),
  MONITOR_PUBLISH_INTERVAL_SECONDS: documented(int(60, 604_800, 3600), {
    roles: COLLECTOR,
    meaning:
      "how often each held relay's kind 30166 report is published again; a change of status is " +
      'published after the flush that records it, without waiting',
  }),
};

const api = {
  PORT: documented(int(1, 65535, 3000), { roles: API, meaning: 'HTTP port of the API' }),
  HOST: documented(z.string().min(1).default('0.0.0.0'), {
    roles: API,
    meaning: 'listen address of the API',
  }),
  RATE_LIMIT_MAX: documented(int(1, 100_000_000, 100), {
    roles: API,
    meaning: 'requests per client IP per window on the stats routes',
  }),
  RATE_LIMIT_WINDOW_SECONDS: documented(int(1, 86_400, 900), { roles: API, meaning: 'rate-limit window' }),
  TRUST_PROXY_HOPS: documented(int(0, 32, 0), {
    roles: API,
    meaning: 'proxies in front of the API whose `X-Forwarded-For` is trusted; 0 = use the socket address',
  }),
  SSE_MAX_PER_CLIENT: documented(int(1, 1000, 5), {
    roles: API,
    meaning:
      'open `/api/v1/stream` connections per client IP, summed over every API replica (slots in the ' +
      "cache, renewed while open; a dead replica's lapse after 30 s)",
  }),
};

const scheduler = {
  PUSHGATEWAY_URL: documented(httpUrl.optional(), {
    roles: SCHEDULER,
    meaning: "Prometheus Pushgateway for the run's figures",
  }),
  SNAPSHOT_HISTORY: documented(int(1, 100_000, 288), {
    roles: SCHEDULER,
    meaning: 'snapshots kept per range',
  }),
  HOURLY_RETENTION_DAYS: documented(int(8, 3650, 92), {
    roles: SCHEDULER,
    meaning: 'hourly rows older than this are dropped (day rows stay)',
  }),
  RELAY_LOG_RETENTION_DAYS: documented(int(1, 3650, 7), {
    roles: SCHEDULER,
    meaning: 'retention of `relay_logs`',
  }),
  TRUST_SEEDS: documented(pubkeyList, {
    roles: SCHEDULER,
    meaning:
      'hex pubkeys the web of trust starts from (comma- or space-separated); unset: no trust computation, ' +
      'and the `trusted` user figures are null (docs/methodology.md, web of trust)',
  }),
  TRUST_INTERVAL_SECONDS: documented(int(60, 604_800, 3600), {
    roles: SCHEDULER,
    meaning: 'how often a scheduler run also recomputes the web of trust from the follow graph',
  }),
  TRUST_FULL_INTERVAL_SECONDS: documented(int(3600, 2_592_000, 86_400), {
    roles: SCHEDULER,
    meaning:
      'longest time between two full trust computations (rounds from the seeds, every trusted key written); ' +
      'those between start from the last scores and write only the keys that enter or leave',
  }),
  TRUST_DAMPING: documented(fraction(0.5, 0.99, 0.85), {
    roles: SCHEDULER,
    meaning: 'share of trust a key passes on to the keys it follows; the rest returns to the seeds',
  }),
  TRUST_ITERATIONS: documented(int(1, 1000, 50), {
    roles: SCHEDULER,
    meaning: 'most rounds of the trust computation (it stops earlier once the scores settle)',
  }),
  TRUST_MIN_SCORE: documented(fraction(0, 1, 0.000_000_1), {
    roles: SCHEDULER,
    meaning: 'smallest score (the scores of all keys sum to 1) at which a key counts as trusted',
  }),
  RELAY_DAILY_RETENTION_DAYS: documented(int(400, 36_500, 800), {
    roles: SCHEDULER,
    meaning:
      "per-relay day rows (health, latency histograms, events delivered, off-filter copies: each relay's " +
      'daily history) older than this are dropped; at least 400, so a relay keeps 13 months of history',
  }),
};

const allInOne = {
  STATS_INTERVAL_SECONDS: documented(int(5, 86_400, 300), {
    roles: ALL_IN_ONE,
    meaning: 'how often the all-in-one process recomputes statistics',
  }),
};

export const envSchemas = {
  migrate: z.object({ ...common, ...database }),
  collector: z.object({ ...common, ...database, ...cache, ...collector, ...monitor }),
  scheduler: z.object({ ...common, ...database, ...cache, ...scheduler }),
  api: z.object({ ...common, ...database, ...cache, ...api, ...scheduler }),
  'all-in-one': z.object({
    ...common,
    ...database,
    ...cache,
    ...collector,
    ...monitor,
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
  if ('MONITOR_SECRET_KEY' in schema.shape && !input.MONITOR_SECRET_KEY !== !input.MONITOR_PUBLISH_RELAYS) {
    const missing = input.MONITOR_SECRET_KEY ? 'MONITOR_PUBLISH_RELAYS' : 'MONITOR_SECRET_KEY';
    problems.push({
      name: missing,
      given: shown(missing, input[missing]),
      expected: 'set MONITOR_SECRET_KEY and MONITOR_PUBLISH_RELAYS together, or neither',
    });
  }
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
