import { type RelayMode, type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../src/collector.js';
import type { CollectorService } from '../src/collector-types.js';
import { dbFigures, truthFigures } from './helpers/compare.js';
import { createWorld, type TestWorld } from './helpers/context.js';
import { schedulerSnapshot } from './helpers/snapshot.js';
import { streamFor } from './helpers/stream.js';

// Uptime means serving. Next to honest relays: one that accepts the socket and answers pings but
// never answers the subscription, one that wants NIP-42 authentication, one that wants payment.
// Through the collector and the scheduler's snapshot, each gets its own status, the silent one
// earns no uptime, the two restricted ones are not scored at all, and none of them is ranked
// reliable; the honest relays' counts stay exact.

const MODES: RelayMode[] = [
  'silent-after-open',
  'auth-required',
  'payment-required',
  'normal',
  'normal',
  'normal',
];
const ANSWER_TIMEOUT_MS = 1500;

describe('relay status and uptime by serving', () => {
  let world: TestWorld;
  let net: SimNetwork;
  let service: CollectorService | undefined;

  beforeAll(async () => {
    world = await createWorld('serving');
    net = await startSimNetwork({
      relays: MODES.length,
      modes: MODES,
      seed: 'collector-serving',
      rate: 100,
      corpusSize: 800,
      copies: 3,
      autoStart: false,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await net?.stop();
    await world?.drop();
  });

  it('gives each relay the status of what it serves, and uptime only for serving', async () => {
    const ctx = await world.context({ RELAYS: net.urls.join(',') });
    const url = (mode: RelayMode) => net.urls[MODES.indexOf(mode)] ?? '';
    service = await startCollector(ctx, {
      connection: {
        pingIntervalMs: 1000,
        answerTimeoutMs: ANSWER_TIMEOUT_MS,
        backoffInitialMs: 200,
        backoffMaxMs: 1000,
        openTimeoutMs: 1000,
      },
    });
    await net.waitForSubscribers(3, 15_000);
    await streamFor(net, 3000);
    await service.stop();
    service = undefined;

    // The ground truth of what each relay did with the collector's subscriptions.
    const truth = net.truth();
    const silent = truth.relays[url('silent-after-open')];
    expect(silent).toMatchObject({ lastReqAnswer: 'none', eoseSent: 0, valid: 0, closedSent: 0 });
    expect(silent?.reqsReceived).toBeGreaterThanOrEqual(1);
    expect(silent?.pongsSent).toBeGreaterThanOrEqual(2);
    expect(truth.relays[url('auth-required')]).toMatchObject({ lastReqAnswer: 'auth-required', eoseSent: 0 });
    expect(truth.relays[url('payment-required')]).toMatchObject({
      lastReqAnswer: 'payment-required',
      eoseSent: 0,
    });
    for (const [i, mode] of MODES.entries())
      if (mode === 'normal') expect(truth.relays[net.urls[i] ?? '']?.lastReqAnswer).toBe('eose');

    // Honest figures stay exact.
    const db = ctx.dbs.reader;
    expect(await dbFigures(db)).toEqual(truthFigures(truth, net.urls));

    const statuses = Object.fromEntries(
      (await db.selectFrom('relays').select(['url', 'status']).execute()).map((r) => [r.url, r.status]),
    );
    expect(statuses).toEqual(
      Object.fromEntries(
        MODES.map((mode, i) => [
          net.urls[i],
          {
            'silent-after-open': 'unresponsive',
            'auth-required': 'auth_required',
            'payment-required': 'payment_required',
          }[mode as string] ?? 'online',
        ]),
      ),
    );

    const health = Object.fromEntries(
      (
        await db
          .selectFrom('relay_health_hourly as h')
          .innerJoin('relays as r', 'r.id', 'h.relay_id')
          .select([
            'r.url',
            sql<number>`sum(h.connected_ms)::int`.as('connected'),
            sql<number>`sum(h.observed_ms)::int`.as('observed'),
            sql<number>`sum(h.restricted_ms)::int`.as('restricted'),
          ])
          .groupBy('r.url')
          .execute()
      ).map((r) => [r.url, r]),
    );
    // Silent: watched the whole time, served none of it, refused none of it.
    expect(health[url('silent-after-open')]).toMatchObject({ connected: 0, restricted: 0 });
    expect(health[url('silent-after-open')]?.observed).toBeGreaterThan(3000);
    // Restricted: up the whole time and refusing the whole time.
    for (const mode of ['auth-required', 'payment-required'] as const) {
      const h = health[url(mode)];
      expect(h?.connected, mode).toBe(0);
      expect(h?.observed, mode).toBeGreaterThan(3000);
      expect(h?.restricted, mode).toBe(h?.observed);
    }
    const unanswered = (
      await ctx.registry.getSingleMetric('nostr_info_collector_relay_unanswered_total')?.get()
    )?.values;
    expect(unanswered?.map((v) => [v.labels.relay, v.value])).toEqual([[url('silent-after-open'), 1]]);

    // What the snapshot shows.
    const snapshot = await schedulerSnapshot(world);
    expect(snapshot.overview.relays).toMatchObject({
      watched: 6,
      online: 3,
      unresponsive: 1,
      auth_required: 1,
      payment_required: 1,
    });
    const row = (u: string) => snapshot.relays.relays.find((r) => r.url === u);
    expect(row(url('silent-after-open'))).toMatchObject({ status: 'unresponsive', uptime_pct: 0, events: 0 });
    expect(row(url('auth-required'))).toMatchObject({
      status: 'auth_required',
      uptime_pct: null,
      auth_required: true,
    });
    expect(row(url('payment-required'))).toMatchObject({
      status: 'payment_required',
      uptime_pct: null,
      payment_required: true,
    });
    const honest = net.urls.filter((_, i) => MODES[i] === 'normal');
    for (const u of honest) {
      // Served from the first answer on: all but the wait for it (connect, REQ, EOSE).
      const h = health[u];
      expect(h?.restricted, u).toBe(0);
      expect((h?.observed ?? 0) - (h?.connected ?? 0), u).toBeLessThan(1500);
      expect(row(u)?.uptime_pct, u).toBe(
        Math.round(((h?.connected ?? 0) / (h?.observed ?? 1)) * 10_000) / 100,
      );
    }
    // Only relays that serve are ranked reliable.
    expect(snapshot.top_relays.most_reliable.map((r) => r.url).sort()).toEqual([...honest].sort());
  });
});
