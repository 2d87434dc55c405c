import { parseArgs } from 'node:util';
import { normalizeRelayUrl } from '@nostr-info/shared/relay';

/** What `nostr-info backfill` was asked to do (see its `--help`). */
export interface BackfillArgs {
  /** Oldest created_at read (unix seconds); 0 reads all history the relays keep. */
  since: number;
  /** Relays named on the command line; undefined: the watched relays. */
  relays?: string[];
  maxEventsPerRelay: number;
  pageLimit: number;
  concurrency: number;
  pageIntervalMs: number;
  /** Prometheus Pushgateway the run's metrics are pushed to, if any. */
  pushgateway?: string;
}

const DAY_S = 86_400;
const OPTIONS = [
  'since',
  'relays',
  'max-events-per-relay',
  'page-limit',
  'concurrency',
  'page-interval-ms',
  'pushgateway',
] as const;

/** A time bound: `90d` (days before now), an ISO-8601 date or time, or unix seconds. */
function parseSince(value: string, nowSec: number): number | undefined {
  const days = /^(\d{1,5})d$/.exec(value);
  if (days?.[1]) return nowSec - Number(days[1]) * DAY_S;
  if (/^\d{1,11}$/.test(value)) return Number(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function parseCount(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    problems.push(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
    return fallback;
  }
  return n;
}

/**
 * Parses the flags of `nostr-info backfill`; every problem is listed at once (the CLI prints them
 * and exits 2).
 */
export function parseBackfillArgs(
  argv: readonly string[],
  nowSec: number,
): { args: BackfillArgs } | { problems: string[] } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    // Not strict: every unknown flag and missing value is listed, not only the first.
    strict: false,
    options: Object.fromEntries(OPTIONS.map((name) => [name, { type: 'string' as const }])),
  });
  const problems: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (!(OPTIONS as readonly string[]).includes(name)) problems.push(`unknown option --${name}`);
    else if (typeof value !== 'string') problems.push(`--${name} needs a value`);
  }
  if (positionals.length > 0) problems.push(`unexpected argument "${positionals.join(' ')}"`);
  let since = 0;
  if (typeof values.since === 'string') {
    const parsed = parseSince(values.since, nowSec);
    if (parsed === undefined || parsed < 0 || parsed >= nowSec)
      problems.push(
        `--since must be a past time: 90d, 2024-01-31, 2024-01-31T12:00:00Z or unix seconds (got "${values.since}")`,
      );
    else since = parsed;
  }
  let relays: string[] | undefined;
  if (typeof values.relays === 'string') {
    relays = [];
    for (const entry of values.relays.split(/[\s,]+/).filter(Boolean)) {
      try {
        relays.push(normalizeRelayUrl(entry));
      } catch {
        problems.push(`--relays: "${entry}" is not a relay URL (ws:// or wss://)`);
      }
    }
    if (relays.length === 0 && problems.length === 0) problems.push('--relays names no relay');
    relays = [...new Set(relays)];
  }
  const pushgateway = str(values.pushgateway);
  if (pushgateway !== undefined && !/^https?:\/\/[^\s/]+/.test(pushgateway))
    problems.push(`--pushgateway must be an http(s) URL (got "${pushgateway}")`);
  const args: BackfillArgs = {
    since,
    maxEventsPerRelay: parseCount(
      'max-events-per-relay',
      str(values['max-events-per-relay']),
      100_000,
      1,
      100_000_000,
      problems,
    ),
    pageLimit: parseCount('page-limit', str(values['page-limit']), 500, 1, 5000, problems),
    concurrency: parseCount('concurrency', str(values.concurrency), 4, 1, 64, problems),
    pageIntervalMs: parseCount(
      'page-interval-ms',
      str(values['page-interval-ms']),
      1000,
      0,
      600_000,
      problems,
    ),
    ...(relays ? { relays } : {}),
    ...(pushgateway ? { pushgateway } : {}),
  };
  return problems.length > 0 ? { problems } : { args };
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
