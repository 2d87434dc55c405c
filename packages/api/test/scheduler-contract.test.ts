import { runScheduler } from '@nostr-info/scheduler';
import { RELAY_STATUS_STALE_MS } from '@nostr-info/shared/relay';
import { STATS_RANGES } from '@nostr-info/shared/stats';
import { type MigratedTestDatabase, migratedTestDatabase, testServices } from '@nostr-info/shared/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiContext, type ApiProcess, makeContext, spawnApi, uniquePrefix } from './helpers.js';
import { openApiValidator } from './openapi-validator.js';
import { openStream } from './sse-client.js';

/**
 * The contract with the real scheduler: after one run, clients of two API processes get the
 * `snapshot` message, and what the API serves from the run validates against its OpenAPI schema.
 */
let db: MigratedTestDatabase;
let ctx: ApiContext;
let a: ApiProcess;
let b: ApiProcess;
const staleHeldAt = new Date(Date.now() - 600_000);

beforeAll(async () => {
  db = await migratedTestDatabase('api_contract');
  const keyPrefix = uniquePrefix('contract');
  const redisUrl = testServices().TEST_REDIS_URL;
  ctx = await makeContext({ databaseUrl: db.url, redisUrl, keyPrefix });
  const relays = await ctx.dbs.writer
    .insertInto('relays')
    .values([
      // One is held by a collector now; no collector has ever reported two.
      {
        url: 'wss://relay.one.example',
        source: 'seed',
        watched: true,
        status: 'online',
        name: 'One',
        held_at: new Date(),
      },
      { url: 'wss://relay.two.example', source: 'seed', watched: true, status: 'offline' },
    ])
    .returning('id')
    .execute();
  // Three was online when its holder last reported, ten minutes ago.
  await ctx.dbs.writer
    .insertInto('relays')
    .values({
      url: 'wss://relay.three.example',
      source: 'seed',
      watched: true,
      status: 'online',
      status_changed_at: new Date(Date.now() - 3_600_000),
      held_at: staleHeldAt,
    })
    .execute();
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
  for (const [i, relay] of relays.entries()) {
    await ctx.dbs.writer
      .insertInto('events_aggregated')
      .values([
        { hour, relay_id: relay.id, kind: 1, events: 100 + i, invalid: i, duplicates: 0 },
        { hour, relay_id: relay.id, kind: 7, events: 10, invalid: 0, duplicates: 0 },
      ])
      .execute();
  }
  await ctx.dbs.writer
    .insertInto('network_events_hourly')
    .values([
      { hour, kind: 1, events: 150 },
      { hour, kind: 7, events: 12 },
    ])
    .execute();
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    RATE_LIMIT_MAX: '1000',
  };
  [a, b] = await Promise.all([spawnApi(env), spawnApi(env)]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await ctx.close();
  await db.drop();
});

it('a scheduler run reaches both processes as a snapshot message, and its bodies match the OpenAPI schemas', async () => {
  const before = await fetch(`${a.url}/api/v1/stats/overview`);
  expect(before.status).toBe(503);
  const sa = await openStream(`${a.url}/api/v1/stream`);
  const sb = await openStream(`${b.url}/api/v1/stream`);
  try {
    await sa.waitFor((f) => f.event === 'live');
    await sb.waitFor((f) => f.event === 'live');
    const run = await runScheduler(ctx, { retention: false });
    expect(run.error).toBeUndefined();
    for (const s of [sa, sb]) {
      const frame = await s.waitFor((f) => f.event === 'snapshot', 10_000);
      expect(JSON.parse(frame.data).ranges).toEqual(expect.arrayContaining([...STATS_RANGES]));
    }
  } finally {
    sa.close();
    sb.close();
  }
  const validator = openApiValidator(
    (await (await fetch(`${a.url}/api/v1/openapi.json`)).json()) as Record<string, unknown>,
  );
  for (const range of STATS_RANGES) {
    for (const section of ['overview', 'relays', 'clients', 'top-relays', 'activity']) {
      const res = await fetch(`${b.url}/api/v1/stats/${section}?range=${range}`);
      expect(res.status, `${section} ${range}`).toBe(200);
      expect(
        validator.response(`/api/v1/stats/${section}`, 200, await res.json()),
        `${section} ${range}`,
      ).toEqual([]);
    }
    for (const kind of ['events', 'full']) {
      const res = await fetch(`${a.url}/api/v1/stats/${kind}/${range}`);
      expect(res.status).toBe(200);
      expect(
        validator.response(`/api/v1/stats/${kind}/{range}`, 200, await res.json()),
        `${kind} ${range}`,
      ).toEqual([]);
    }
  }
  const overview = (await (await fetch(`${a.url}/api/v1/stats/overview?range=24h`)).json()) as {
    events: { unique: number };
  };
  expect(overview.events.unique).toBe(162);
  const relay = await fetch(`${a.url}/api/v1/relays/${encodeURIComponent('wss://relay.one.example')}`);
  expect(relay.status).toBe(200);
  const detail = (await relay.json()) as { relay: { status: string } };
  expect(validator.response('/api/v1/relays/{url}', 200, detail)).toEqual([]);
  expect(detail.relay.status).toBe('online');
  const unheld = await fetch(`${a.url}/api/v1/relays/${encodeURIComponent('wss://relay.two.example')}`);
  expect(((await unheld.json()) as { relay: { status: string } }).relay.status).toBe('unknown');
  const stale = await fetch(`${a.url}/api/v1/relays/${encodeURIComponent('wss://relay.three.example')}`);
  expect(((await stale.json()) as { relay: unknown }).relay).toMatchObject({
    status: 'unknown',
    status_changed_at: new Date(staleHeldAt.getTime() + RELAY_STATUS_STALE_MS).toISOString(),
  });
  // The scheduler's figures reach the API's metrics through stats:last-run.
  const metrics = await (await fetch(`${a.url}/metrics`)).text();
  expect(metrics).toMatch(/^nostr_info_stats_last_success_timestamp_seconds \d+/m);
  expect(metrics).toMatch(/^nostr_info_stats_duration_seconds\{range="all"\} /m);
});
