import { envSettings, type Role } from '@nostr-info/shared/config';

/** Help texts, one per subcommand; `--help` prints them and exits 0. */
export const HELP: Record<string, string> = {
  main: `nostr-info — Nostr network statistics backend

Usage: nostr-info <command> [options]

Commands:
  all-in-one      collector + scheduler timer + API in one process (default for \`pnpm start\`)
  collector       watch this replica's share of the relays and write aggregated counts
  scheduler run   compute every statistics range once; the exit status says whether it worked
  api             serve the public JSON API and /metrics
  migrate         apply database migrations (or --down to revert the newest)
  backfill        read the history of profiles, follow lists and relay lists from the relays

Every command reads its settings from the environment (see README: Configuration) and exits 2
listing every problem when a setting is invalid.

Run "nostr-info <command> --help" for the settings of one command.`,
  'all-in-one': `Usage: nostr-info all-in-one

Runs the collector, the statistics scheduler (every STATS_INTERVAL_SECONDS, and once at start) and
the API (PORT, default 3000) in one process. Without DATABASE_URL it uses an embedded database
under DATA_DIR (default ./data); without REDIS_URL / REDIS_CLUSTER_NODES an in-process cache.
Migrations run at start.`,
  collector: `Usage: nostr-info collector

Connects to this replica's share of the watched relays (ordinal from POD_NAME or
COLLECTOR_ORDINAL, replica count from the StatefulSet or COLLECTOR_REPLICAS), verifies events and
flushes aggregated counts every FLUSH_INTERVAL_MS or FLUSH_MAX_EVENTS. Metrics on METRICS_PORT.`,
  scheduler: `Usage: nostr-info scheduler run

Computes every range (24h, 7d, 30d, 90d, all) once from DATABASE_READ_URL (or DATABASE_URL),
writes the snapshots to the database and the cache, and exits 0 on success, 1 on failure.`,
  api: `Usage: nostr-info api

Serves the public read-only JSON API on PORT (default 3000): /health, /ready, /metrics,
/api/v1/docs, /api/v1/stats/... . Reads snapshots from the cache, then from the database.`,
  migrate: `Usage: nostr-info migrate [--down]

Applies every pending migration under a lock (safe when several processes start together).
--down reverts the newest migration.`,
  backfill: `Usage: nostr-info backfill [options]

Reads the history of kinds 0, 3 and 10002 (profiles, follow lists, relay lists) from the watched
relays (the database's list; the bundled seed list on a database no collector has filled), page by
page backwards in time (until/limit, at most each relay's NIP-11 max_limit), so first-seen dates,
profiles and follow lists are right from the first day. Every event is verified; refused copies
are counted by reason. Progress is stored per relay with each page: run it again to resume. A run
that reads every relay down to --since lets new-user figures of ranges from --since on be given.

Options:
  --since <when>               oldest created_at to read: 90d, 2024-01-31, an ISO time or unix
                               seconds (default: all history the relays keep)
  --relays <urls>              comma-separated relay URLs instead of the watched relays
  --max-events-per-relay <n>   events read from one relay in this run (default 100000)
  --page-limit <n>             events asked per page, lowered to the relay's max_limit (default 500)
  --concurrency <n>            relays read at once (default 4)
  --page-interval-ms <n>       least time between two pages asked of one relay (default 1000)
  --pushgateway <url>          Prometheus Pushgateway to push the run's metrics to, every 15 s
                               and at the end (job nostr_info_backfill)

Exits 0 when every relay's run ended cleanly (read down to --since, or stopped at its bound),
1 when a relay stopped early (it resumes on the next run), 2 on a bad option.`,
};

/** The env role each subcommand validates. */
const ROLE_OF: Record<string, Role> = {
  'all-in-one': 'all-in-one',
  collector: 'collector',
  scheduler: 'scheduler',
  api: 'api',
  migrate: 'migrate',
  backfill: 'migrate',
};

/** Help of a command followed by every setting it reads, with defaults (generated from env.ts). */
export function helpFor(command: string | undefined): string {
  const text = HELP[command ?? 'main'] ?? HELP.main ?? '';
  const role = command ? ROLE_OF[command] : undefined;
  if (!role) return text;
  const settings = envSettings(role);
  const width = Math.max(...settings.map((s) => s.name.length));
  const lines = settings.map(
    (s) =>
      `  ${s.name.padEnd(width)}  ${s.defaultValue === undefined ? '(unset)' : `default ${s.defaultValue}`}`,
  );
  return `${text}\n\nSettings (environment variables):\n${lines.join('\n')}`;
}
