import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CounterBuffer } from '../aggregate/counter-buffer.js';
import { createCollectorMetrics } from '../observe/metrics.js';
import { RelayHealth } from './relay-health.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(answerTimeoutMs = 40) {
  const buffer = new CounterBuffer();
  const registry = new Registry();
  const metrics = createCollectorMetrics(registry);
  const states: string[] = [];
  const health = new RelayHealth(
    7,
    'wss://r.example',
    { metrics, buffer: () => buffer },
    {
      answerTimeoutMs,
      onState: (s) => states.push(s),
    },
  );
  const totals = () => {
    let observed = 0;
    let connected = 0;
    let restricted = 0;
    for (const r of buffer.health.values()) {
      observed += r.observedMs;
      connected += r.connectedMs;
      restricted += r.restrictedMs;
    }
    return { observed, connected, restricted };
  };
  const status = () => buffer.relayStatus.get(7)?.status;
  const unanswered = async () =>
    (await metrics.relayUnanswered.get()).values.reduce((n, v) => n + v.value, 0);
  return { health, totals, status, states, unanswered };
}

/** Starts the connection and opens its socket; returns the time it started. */
async function open(health: RelayHealth): Promise<void> {
  health.restart();
  health.connecting();
  await sleep(5);
  health.opened(Date.now(), 5);
  health.requested();
}

describe('RelayHealth: uptime means serving', () => {
  it('is online from the first answer; only the time after it is serving', async () => {
    const { health, totals, status, states } = setup();
    await open(health);
    await sleep(10);
    expect(status()).toBeUndefined();
    expect(health.serving).toBe(false);
    health.answered();
    await sleep(20);
    health.account(Date.now(), false);
    const t = totals();
    expect(status()).toBe('online');
    expect(states).toEqual(['open']);
    expect(t.restricted).toBe(0);
    expect(t.connected).toBeGreaterThanOrEqual(15);
    expect(t.connected).toBeLessThan(t.observed);
  });

  it('is unresponsive when the subscription goes unanswered: no uptime, no restricted time', async () => {
    const { health, totals, status, states, unanswered } = setup(30);
    await open(health);
    await sleep(80);
    health.account(Date.now(), false);
    expect(status()).toBe('unresponsive');
    expect(states).toEqual(['unresponsive']);
    expect(totals()).toMatchObject({ connected: 0, restricted: 0 });
    expect(totals().observed).toBeGreaterThanOrEqual(80);
    expect(await unanswered()).toBe(1);
    // A late answer makes it online again.
    health.answered();
    expect(status()).toBe('online');
  });

  it('counts a relay refusing with auth-required as restricted all along, not as down', async () => {
    const { health, totals, status, states } = setup();
    await open(health);
    await sleep(10);
    expect(health.closed('auth-required: we only serve members')).toBe('auth_required');
    await sleep(20);
    // Asked again later, refused again: still restricted, the status unchanged.
    health.requested();
    health.closed('auth-required: we only serve members');
    await sleep(60);
    health.account(Date.now(), false);
    const t = totals();
    expect(status()).toBe('auth_required');
    expect(states).toEqual(['auth_required', 'auth_required']);
    expect(t.connected).toBe(0);
    expect(t.restricted).toBe(t.observed);
  });

  it('reads an AUTH challenge or a payment NOTICE followed by silence as a restriction', async () => {
    const auth = setup(30);
    await open(auth.health);
    auth.health.auth();
    await sleep(60);
    auth.health.account(Date.now(), false);
    expect(auth.status()).toBe('auth_required');
    expect(auth.totals().restricted).toBe(auth.totals().observed);

    const paid = setup(30);
    await open(paid.health);
    await sleep(50);
    expect(paid.status()).toBe('unresponsive');
    // Said after the timeout: it turns the unresponsive relay into a paid one at once.
    paid.health.notice('restricted: not a paid member');
    expect(paid.status()).toBe('payment_required');
    expect(await paid.unanswered()).toBe(1);
  });

  it('ignores restriction hints from a relay that serves', async () => {
    const { health, status } = setup(30);
    await open(health);
    health.auth();
    health.answered();
    health.notice('auth-required: please authenticate');
    await sleep(50);
    expect(status()).toBe('online');
  });

  it('does not count the wait before a reconnect as restricted', async () => {
    const { health, totals, status } = setup();
    await open(health);
    // From here on the clock is given: the 40 ms wait is exactly 40 ms, whatever the timers do.
    const t0 = Date.now();
    health.closed('restricted: pay the invoice to read', t0);
    expect(status()).toBe('payment_required');
    health.failed(t0 + 10, 'closed', 'gone', { cause: 'ws_close', detail: '1000' });
    health.connecting(t0 + 50);
    health.opened(t0 + 55, 5);
    health.requested(t0 + 55);
    health.closed('restricted: pay the invoice to read', t0 + 55);
    health.account(t0 + 55, false);
    const t = totals();
    expect(status()).toBe('payment_required');
    expect(t.observed - t.restricted).toBeGreaterThanOrEqual(40);
    expect(t.observed - t.restricted).toBeLessThan(60);
  });
});
