import { describe, expect, it } from 'vitest';
import { envSchemas, envSettings, loadEnv, type Role } from './env.js';
import { EnvError } from './env-error.js';

const ROLES = Object.keys(envSchemas) as Role[];

function problemsOf(role: Role, source: Record<string, string>): EnvError {
  try {
    loadEnv(role, source);
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error(`expected loadEnv("${role}") to fail`);
}

describe('loadEnv', () => {
  it.each(ROLES)('%s: an empty environment is valid and uses the documented defaults', (role) => {
    const env = loadEnv(role, {}) as Record<string, unknown>;
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.DATA_DIR).toBe('./data');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATABASE_POOL_MAX).toBe(10);
  });

  it('gives each role its own settings and defaults', () => {
    const api = loadEnv('api', {});
    expect(api.PORT).toBe(3000);
    expect(api.RATE_LIMIT_MAX).toBe(100);
    expect(api.RATE_LIMIT_WINDOW_SECONDS).toBe(900);
    expect(api.TRUST_PROXY_HOPS).toBe(0);
    expect(api.REDIS_KEY_PREFIX).toBe('nostr-info:');
    expect('FLUSH_INTERVAL_MS' in api).toBe(false);

    const collector = loadEnv('collector', {});
    expect(collector.FLUSH_INTERVAL_MS).toBe(10_000);
    expect(collector.FLUSH_MAX_EVENTS).toBe(1000);
    expect(collector.METRICS_PORT).toBe(9464);
    expect(collector.COLLECTOR_REPLICAS).toBe(1);
    expect(collector.DISCOVERY_ENABLED).toBe(true);
    expect('PORT' in collector).toBe(false);

    const scheduler = loadEnv('scheduler', {});
    expect(scheduler.PUSHGATEWAY_URL).toBeUndefined();
    expect('STATS_INTERVAL_SECONDS' in scheduler).toBe(false);

    const all = loadEnv('all-in-one', {});
    expect(all.STATS_INTERVAL_SECONDS).toBe(300);
    expect(all.PORT).toBe(3000);
    expect(all.FLUSH_MAX_EVENTS).toBe(1000);

    const migrate = loadEnv('migrate', {});
    expect(Object.keys(migrate).sort()).toEqual(
      ['DATABASE_POOL_MAX', 'DATA_DIR', 'LOG_LEVEL', 'LOG_PRETTY', 'NODE_ENV'].sort(),
    );
  });

  it('parses numbers, booleans, URLs, relay lists and cluster nodes', () => {
    const env = loadEnv('all-in-one', {
      PORT: '8080',
      LOG_PRETTY: 'TRUE',
      DISCOVERY_ENABLED: 'no',
      DATABASE_URL: 'postgres://app:pw@db:5432/nostr',
      RELAYS: 'wss://a.example, wss://b.example\nwss://c.example',
      REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-1:7001,[::1]:7002',
    });
    expect(env.PORT).toBe(8080);
    expect(env.LOG_PRETTY).toBe(true);
    expect(env.DISCOVERY_ENABLED).toBe(false);
    expect(env.DATABASE_URL).toBe('postgres://app:pw@db:5432/nostr');
    expect(env.RELAYS).toEqual(['wss://a.example', 'wss://b.example', 'wss://c.example']);
    expect(env.REDIS_CLUSTER_NODES).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-1', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
  });

  it('treats empty and blank strings as unset (Kubernetes renders optional values that way)', () => {
    const env = loadEnv('api', { PORT: '', DATABASE_URL: '  ', REDIS_CLUSTER_NODES: '', LOG_LEVEL: '' });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_CLUSTER_NODES).toBeUndefined();
    expect(env.LOG_LEVEL).toBe('info');
  });

  it('lists every bad value at once with name, given value and expectation', () => {
    const err = problemsOf('api', {
      PORT: 'abc',
      REDIS_CLUSTER_NODES: 'nohost',
      LOG_LEVEL: 'loud',
      RATE_LIMIT_MAX: '0',
      DATABASE_URL: 'mysql://db/x',
    });
    expect(err.exitCode).toBe(2);
    expect(err.role).toBe('api');
    const byName = Object.fromEntries(err.problems.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(
      ['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'RATE_LIMIT_MAX', 'REDIS_CLUSTER_NODES'].sort(),
    );
    expect(byName.PORT).toEqual({
      name: 'PORT',
      given: '"abc"',
      expected: 'expected an integer between 1 and 65535',
    });
    expect(byName.REDIS_CLUSTER_NODES?.given).toBe('"nohost"');
    expect(byName.REDIS_CLUSTER_NODES?.expected).toMatch(/host:port/);
    expect(byName.LOG_LEVEL?.expected).toMatch(/fatal, error, warn, info, debug, trace, silent/);
    expect(byName.RATE_LIMIT_MAX?.given).toBe('"0"');
    expect(byName.DATABASE_URL?.expected).toMatch(/PostgreSQL URL/);
    // One readable message naming every problem.
    for (const name of Object.keys(byName)) expect(err.message).toContain(`  - ${name}: `);
    expect(err.message).toMatch(/^invalid configuration for "api" \(5 problems\):/);
  });

  it('rejects out-of-range and non-integer numbers', () => {
    const err = problemsOf('collector', {
      FLUSH_INTERVAL_MS: '5',
      METRICS_PORT: '70000',
      FLUSH_MAX_EVENTS: '1.5',
    });
    expect(err.problems.map((p) => p.name).sort()).toEqual([
      'FLUSH_INTERVAL_MS',
      'FLUSH_MAX_EVENTS',
      'METRICS_PORT',
    ]);
  });

  it('takes IP database paths only for files that exist, listing each one missing', () => {
    const here = new URL(import.meta.url).pathname;
    const env = loadEnv('collector', { GEOIP_COUNTRY_DB: here, GEOIP_ASN_DB: `${here}, ${here}` });
    expect(env.GEOIP_COUNTRY_DB).toBe(here);
    expect(env.GEOIP_ASN_DB).toEqual([here, here]);
    const err = problemsOf('collector', {
      GEOIP_COUNTRY_DB: '/nowhere/country.mmdb',
      GEOIP_ASN_DB: `${here},/nowhere/asn.csv`,
    });
    expect(err.exitCode).toBe(2);
    expect(err.problems.map((p) => [p.name, p.expected]).sort()).toEqual([
      ['GEOIP_ASN_DB', 'expected existing files'],
      ['GEOIP_COUNTRY_DB', 'expected an existing file'],
    ]);
  });

  it('rejects a cluster node list with one bad entry or a bad port', () => {
    expect(problemsOf('api', { REDIS_CLUSTER_NODES: 'a:7000,b' }).problems[0]?.given).toBe('"a:7000,b"');
    expect(problemsOf('api', { REDIS_CLUSTER_NODES: 'a:0' }).problems[0]?.name).toBe('REDIS_CLUSTER_NODES');
    expect(problemsOf('api', { REDIS_CLUSTER_NODES: 'a:65536' }).problems[0]?.name).toBe(
      'REDIS_CLUSTER_NODES',
    );
  });

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together, also next to other problems', () => {
    const alone = problemsOf('api', { REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'r:7000' });
    expect(alone.problems).toHaveLength(1);
    expect(alone.problems[0]?.expected).toMatch(/either REDIS_URL or REDIS_CLUSTER_NODES/);
    const withOthers = problemsOf('api', {
      PORT: 'x',
      REDIS_URL: 'redis://r:6379',
      REDIS_CLUSTER_NODES: 'r:7000',
    });
    expect(withOthers.problems.map((p) => p.name).sort()).toEqual(['PORT', 'REDIS_CLUSTER_NODES']);
  });

  it('never shows a password from a connection string', () => {
    const err = problemsOf('all-in-one', {
      DATABASE_URL: 'mysql://admin:s3cr3t-pw@db.internal:3306/x',
      DATABASE_READ_URL: 'host=db password=s3cr3t-pw2 user=app',
      REDIS_URL: 'http://:s3cr3t-pw3@redis:6379',
      PUSHGATEWAY_URL: 'ftp://u:s3cr3t-pw4@push',
      PORT: 'abc',
    });
    expect(err.problems.map((p) => p.name).sort()).toEqual(
      ['DATABASE_READ_URL', 'DATABASE_URL', 'PORT', 'PUSHGATEWAY_URL', 'REDIS_URL'].sort(),
    );
    expect(err.message).not.toMatch(/s3cr3t/);
    expect(JSON.stringify(err.problems)).not.toMatch(/s3cr3t/);
    // Enough stays to recognise the setting.
    expect(err.message).toContain('db.internal');
    expect(err.message).toContain('admin');
  });

  it('accepts valid secrets without echoing them anywhere', () => {
    const env = loadEnv('scheduler', {
      DATABASE_URL: 'postgresql://u:pw@h/db',
      PUSHGATEWAY_URL: 'http://pg:9091',
    });
    expect(env.DATABASE_URL).toBe('postgresql://u:pw@h/db');
    expect(env.PUSHGATEWAY_URL).toBe('http://pg:9091');
  });

  it('ignores variables the role does not read', () => {
    expect(() => loadEnv('migrate', { PORT: 'abc', REDIS_CLUSTER_NODES: 'nohost' })).not.toThrow();
  });
});

describe('envSettings', () => {
  it('lists each role setting with its default', () => {
    const api = Object.fromEntries(envSettings('api').map((s) => [s.name, s.defaultValue]));
    expect(api.PORT).toBe('3000');
    expect(api.DATA_DIR).toBe('./data');
    expect(api.LOG_PRETTY).toBe('false');
    expect('DATABASE_URL' in api).toBe(true);
    expect(api.DATABASE_URL).toBeUndefined();
    expect(envSettings('migrate').map((s) => s.name)).not.toContain('PORT');
  });
});
