import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { type GroundTruth, type SimNetworkProcess, startSimNetworkProcess } from '@nostr-info/relay-sim';
import { createTestDatabase, type TestDatabase, testServices } from '@nostr-info/shared/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRules, type K8sObject, renderChart, scrapeEndpoints } from '../src/chart.js';
import { dashboardExpressions, exposedFamilies, metricNamesIn } from '../src/metric-names.js';
import {
  freePort,
  getJson,
  REPO_ROOT,
  type RoleProcess,
  runRole,
  startRole,
  waitFor,
} from '../src/processes.js';
import { type PrometheusServer, startPrometheus, type Target } from '../src/prometheus.js';

/**
 * The chart's topology as loopback processes (no Kubernetes API server can run here): 3 collector
 * replicas (ordinals 0-2, as the StatefulSet's pods) over a simulated relay network, a scheduler
 * run reading the streaming replica, 2 API replicas on the Redis Cluster, and a real Prometheus
 * scraping them with the chart's ServiceMonitor settings and evaluating the chart's alert rules.
 */

const RELAYS = 30;
const COLLECTORS = 3;
/** Healthy: every relay connected. One collector stopped: about a third fewer. */
const RELAYS_CONNECTED_MIN = RELAYS - 3;

const services = testServices();
const prefix = `topology-${randomBytes(4).toString('hex')}:`;
const clusterNodes = services.TEST_REDIS_CLUSTER_NODES;

let chart: K8sObject[];
let net: SimNetworkProcess;
let db: TestDatabase;
let replicaUrl: string;
const collectors: RoleProcess[] = [];
const collectorPorts: number[] = [];
const apis: RoleProcess[] = [];
const apiPorts: number[] = [];
let prometheus: PrometheusServer | undefined;
let truth: GroundTruth;
/** The Redis master the failover step killed; brought back afterwards for whoever uses the cluster next. */
let killedRedisPort: string | undefined;

const common = (): Record<string, string> => ({
  LOG_LEVEL: 'warn',
  DATABASE_URL: db.url,
  REDIS_CLUSTER_NODES: clusterNodes,
  REDIS_KEY_PREFIX: prefix,
});

function dumpOnFailure(): string {
  return [...collectors, ...apis, ...(prometheus ? [prometheus.process] : [])]
    .map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`)
    .join('\n');
}

async function metricsText(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

/** Sum of a plain gauge/counter family over one exposition (labels ignored). */
function sumOf(text: string, family: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${family} `) || line.startsWith(`${family}{`))
      total += Number(line.split(' ').pop());
  }
  return total;
}

async function startCollector(ordinal: number): Promise<RoleProcess> {
  const port = collectorPorts[ordinal] ?? (await freePort());
  collectorPorts[ordinal] = port;
  const proc = startRole(`collector-${ordinal}`, ['collector'], {
    ...common(),
    RELAYS: net.urls.join(','),
    COLLECTOR_REPLICAS: String(COLLECTORS),
    POD_NAME: `nostr-info-collector-${ordinal}`,
    METRICS_PORT: String(port),
    FLUSH_INTERVAL_MS: '1000',
    RECONCILE_INTERVAL_MS: '1000',
    DISCOVERY_ENABLED: 'false',
    // The simulator's zap providers are an LNURL-pay server on loopback, over plain http.
    LNURL_ALLOW_INSECURE: 'true',
  });
  collectors[ordinal] = proc;
  return proc;
}

beforeAll(async () => {
  chart = renderChart({
    'metrics.serviceMonitor.enabled': 'true',
    'metrics.prometheusRule.enabled': 'true',
    // The chart's own scrape setting, at a test-friendly value.
    'metrics.serviceMonitor.interval': '1s',
    'metrics.serviceMonitor.scrapeTimeout': '1s',
    'metrics.prometheusRule.relaysConnectedMin': String(RELAYS_CONNECTED_MIN),
    // Alerts keep their expressions and thresholds; a short pending time keeps the scenario to seconds.
    'metrics.prometheusRule.forOverride': '2s',
  });
  net = await startSimNetworkProcess({
    relays: RELAYS,
    rate: 60,
    copies: 6,
    seed: 'topology',
    corpusSize: 1500,
    // Signed fresh (about a second): a cached corpus ages, and the collector counts events more
    // than an hour old as late and those far below its `since` as off-filter, not as new events.
  });
  db = await createTestDatabase('topology', services.TEST_PG_PRIMARY_URL);
  const replica = new URL(services.TEST_PG_REPLICA_URL);
  replica.pathname = `/${db.name}`;
  replicaUrl = replica.toString();
  const migrated = await runRole(['migrate'], { LOG_LEVEL: 'warn', DATABASE_URL: db.url });
  expect(migrated.code, migrated.output).toBe(0);
}, 240_000);

afterAll(async () => {
  await prometheus?.stop();
  await Promise.allSettled([...collectors, ...apis].map((p) => p?.stop('SIGKILL')));
  await net?.stop();
  await db?.drop().catch(() => undefined);
  if (killedRedisPort) {
    execFileSync(
      'bash',
      [resolve(REPO_ROOT, 'scripts/services/redis-cluster.sh'), 'restart-node', killedRedisPort],
      {
        stdio: 'inherit',
      },
    );
  }
});

describe('the chart topology on one machine', () => {
  it('three collector replicas split the relays and each relay is connected exactly once', async () => {
    for (let i = 0; i < COLLECTORS; i++) await startCollector(i);
    try {
      await net.waitForSubscribers(RELAYS, 60_000);
      const owned = await waitFor('every collector reports its share', async () => {
        const counts = await Promise.all(
          collectorPorts.map(async (port) =>
            sumOf(await metricsText(port), 'nostr_info_collector_relays_connected'),
          ),
        );
        return counts.reduce((a, b) => a + b, 0) === RELAYS ? counts : undefined;
      });
      expect(owned.every((n) => n > 0)).toBe(true);
      expect((await net.stats()).connections).toBe(RELAYS);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${dumpOnFailure()}`, { cause: err });
    }
  });

  it('a scheduler run on the streaming replica feeds two API replicas on the Redis Cluster the same snapshot', async () => {
    // Let the network stream, then stop it and let the collectors flush everything they hold.
    await new Promise((r) => setTimeout(r, 12_000));
    await net.pause();
    await net.drain(20_000);
    truth = await net.truth();
    expect(truth.unique).toBeGreaterThan(200);
    const primary = new pg.Client({ connectionString: db.url });
    const replica = new pg.Client({ connectionString: replicaUrl });
    await primary.connect();
    await replica.connect();
    const uniqueIn = async (client: pg.Client) =>
      Number(
        (await client.query('select coalesce(sum(events), 0)::int as n from network_events_hourly')).rows[0]
          .n,
      );
    try {
      // Flushed on the primary, then streamed to the replica the scheduler reads.
      await waitFor('collectors flushed every event', async () =>
        (await uniqueIn(primary)) === truth.unique ? true : undefined,
      );
      // Zap receipts are checked off the event path: each gets one verdict, accepted or a reason.
      const zapVerdicts = async (client: pg.Client) =>
        Number(
          (
            await client.query(
              `select (select coalesce(sum(zaps), 0) from zaps_daily)
                    + (select coalesce(sum(receipts), 0) from zap_rejections_daily) as n`,
            )
          ).rows[0].n,
        );
      // A receipt whose recipient's profile no replica has seen waits up to 30 s for it before
      // its verdict (`unverified`), counted from its arrival: allow that wait plus a loaded machine.
      await waitFor(
        'zap receipts decided',
        async () => ((await zapVerdicts(primary)) === (truth.uniqueByKind[9735] ?? 0) ? true : undefined),
        { timeoutMs: 60_000 },
      );
      await waitFor('replica caught up', async () =>
        (await uniqueIn(replica)) === truth.unique &&
        (await zapVerdicts(replica)) === (truth.uniqueByKind[9735] ?? 0)
          ? true
          : undefined,
      );
    } finally {
      await primary.end();
      await replica.end();
    }

    const run = await runRole(['scheduler', 'run'], { ...common(), DATABASE_READ_URL: replicaUrl });
    expect(run.code, run.output).toBe(0);

    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      apiPorts.push(port);
      apis.push(
        startRole(`api-${i}`, ['api'], {
          ...common(),
          DATABASE_READ_URL: replicaUrl,
          PORT: String(port),
          HOST: '127.0.0.1',
          RATE_LIMIT_MAX: '1000000',
        }),
      );
    }
    const answers = await Promise.all(
      apiPorts.map((port) =>
        waitFor(`api :${port} serves full/24h`, async () => {
          const res = await getJson(`http://127.0.0.1:${port}/api/v1/stats/full/24h`);
          return res.status === 200 ? res : undefined;
        }),
      ),
    );
    const [a, b] = answers;
    expect(a?.headers.get('etag')).toBeTruthy();
    expect(a?.headers.get('etag')).toBe(b?.headers.get('etag'));
    expect(a?.body).toEqual(b?.body);
  });

  it('the served counts equal the simulated network ground truth', async () => {
    const full = (await getJson(`http://127.0.0.1:${apiPorts[0]}/api/v1/stats/full/24h`)).body as {
      overview: {
        events: { unique: number; relay_sum: number };
        users: { active: number; new: number | null };
        zaps: {
          count: number;
          sats: number;
          flagged: number;
          senders: number;
          rejected: Record<string, number>;
          unverified: { count: number; sats: number };
        };
        articles: number;
      };
      events: { by_kind: Record<string, number> };
      relays: { relays: { url: string; events: number; invalid: number }[] };
      clients: { by_events: { client: string; events: number }[] };
      coverage: { new_users_status: string };
    };
    expect(full.overview.events.unique).toBe(truth.unique);
    const byKind = Object.fromEntries(
      Object.entries(truth.uniqueByKind)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => [k, n]),
    );
    expect(Object.fromEntries(Object.entries(full.events.by_kind).filter(([, n]) => n > 0))).toEqual(byKind);
    const relaySum = Object.values(truth.relays).reduce((s, r) => s + r.valid, 0);
    expect(full.overview.events.relay_sum).toBe(relaySum);
    for (const url of net.urls) {
      const row = full.relays.relays.find((r) => r.url === url);
      const want = truth.relays[url];
      expect(row, url).toBeDefined();
      expect({ events: row?.events, invalid: row?.invalid }, url).toEqual({
        events: want?.valid,
        invalid: want?.invalid,
      });
    }
    // Zap receipt signers are services, not users.
    expect(full.overview.users.active).toBe(truth.userPubkeys);
    // Collection began minutes ago: the 24h range starts before it, so new users are not known.
    expect(full.coverage.new_users_status).toBe('warming_up');
    expect(full.overview.users.new).toBeNull();
    expect(full.overview.zaps).toMatchObject({
      count: truth.zaps.accepted,
      sats: truth.zaps.acceptedSats,
      flagged: truth.zaps.rejected.amount_mismatch + truth.zaps.rejected.implausible,
      senders: truth.zaps.acceptedSenders,
      rejected: truth.zaps.rejected,
      unverified: { count: truth.zaps.unverified.count, sats: truth.zaps.unverified.sats },
    });
    expect(full.overview.articles).toBe(truth.articles);
    const clients = Object.fromEntries(full.clients.by_events.map((c) => [c.client, c.events]));
    expect(clients).toEqual(Object.fromEntries(Object.entries(truth.clients).map(([c, t]) => [c, t.events])));
  });

  it('Prometheus scrapes every process with the chart settings and no alert fires while healthy', async () => {
    const targets: Target[] = [
      ...collectorPorts.map((port, i) => ({
        component: 'collector',
        address: `127.0.0.1:${port}`,
        pod: `nostr-info-collector-${i}`,
      })),
      ...apiPorts.map((port, i) => ({
        component: 'api',
        address: `127.0.0.1:${port}`,
        pod: `nostr-info-api-${i}`,
      })),
    ];
    const endpoints = scrapeEndpoints(chart);
    expect(endpoints.map((e) => e.job).sort()).toEqual(['nostr-info-api', 'nostr-info-collector']);
    const rules = alertRules(chart);
    expect(rules.every((r) => r.for === '2s')).toBe(true);
    expect(rules.length).toBeGreaterThanOrEqual(7);
    prometheus = await startPrometheus({ endpoints, targets, rules });
    const server = prometheus;
    await waitFor(
      'every target up',
      async () => {
        const up = await server.query('up');
        return up.length === targets.length && up.every((s) => s.value[1] === '1') ? up : undefined;
      },
      { timeoutMs: 30_000 },
    );
    // Several evaluations over healthy data: nothing pending, nothing firing.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await server.alerts()).toEqual([]);
    const connected = await server.query('sum(nostr_info_collector_relays_connected)');
    expect(Number(connected[0]?.value[1])).toBe(RELAYS);
  });

  it('every metric a dashboard or alert uses exists in a live scrape of the running services', async () => {
    const live = new Set<string>();
    for (const port of [...collectorPorts, ...apiPorts])
      for (const f of exposedFamilies(await metricsText(port))) live.add(f);
    const used = new Map<string, string>();
    for (const rule of alertRules(chart))
      for (const name of metricNamesIn(rule.expr)) used.set(name, `alert ${rule.alert}`);
    for (const { file, expr } of dashboardExpressions(resolve(REPO_ROOT, 'charts/nostr-info/dashboards'))) {
      for (const name of metricNamesIn(expr)) used.set(name, `dashboard ${file}`);
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used]
      .filter(([name]) => !live.has(name))
      .map(([name, where]) => `${name} (${where})`);
    expect(missing).toEqual([]);
  });

  it('killing a Redis master keeps both APIs answering with under 1 % errors', async () => {
    const masters = execFileSync(
      'redis-cli',
      ['-p', clusterNodes.split(',')[0]?.split(':')[1] ?? '7000', 'cluster', 'nodes'],
      {
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter((l) => l.includes('master') && !l.includes('fail'));
    const victim = masters[0]?.split(' ')[1]?.split(':')[1]?.split('@')[0];
    expect(victim).toBeTruthy();
    let ok = 0;
    let failed = 0;
    let running = true;
    const load = async (port: number) => {
      while (running) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/stats/overview?range=24h`);
          await res.arrayBuffer();
          if (res.status === 200) ok++;
          else failed++;
        } catch {
          failed++;
        }
      }
    };
    const loops = apiPorts.flatMap((port) => [load(port), load(port), load(port), load(port)]);
    await new Promise((r) => setTimeout(r, 1000));
    killedRedisPort = String(victim);
    execFileSync(
      'bash',
      [resolve(REPO_ROOT, 'scripts/services/redis-cluster.sh'), 'kill-master', String(victim)],
      {
        stdio: 'inherit',
      },
    );
    await new Promise((r) => setTimeout(r, 3000));
    running = false;
    await Promise.all(loops);
    expect(ok).toBeGreaterThan(100);
    expect(failed / (ok + failed)).toBeLessThan(0.01);
  });

  it('the relays-connected alert fires when a collector is stopped', async () => {
    const server = prometheus;
    if (!server) throw new Error('prometheus did not start');
    const code = await collectors[1]?.stop('SIGTERM');
    expect(code).toBe(0);
    const firing = await waitFor(
      'NostrInfoCollectorRelaysConnectedLow firing',
      async () => {
        const alerts = await server.alerts();
        const alert = alerts.find(
          (a) => a.labels.alertname === 'NostrInfoCollectorRelaysConnectedLow' && a.state === 'firing',
        );
        return alert;
      },
      { timeoutMs: 30_000 },
    );
    expect(firing.labels.severity).toBeTruthy();
  });
});
