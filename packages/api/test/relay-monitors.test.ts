import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRelayUrl } from './fixtures.js';
import { type InProcessApi, inProcessApi } from './in-process-api.js';

// The relay detail's `monitors`: other NIP-66 monitors' latest reports of the relay (the rows the
// collector keeps in `monitor_reports`), those of the last 24 hours counted, and how many agree with
// the relay's status here. The collector side is tested in the collector's nip66-readers test.

let api: InProcessApi;
const url = fixtureRelayUrl(1);
const enc = encodeURIComponent;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

interface Detail {
  relay: { status: string } | null;
  monitors: { window_hours: number; reporting: number; agree: number | null } | null;
}

async function detail(): Promise<Detail> {
  const res = await api.app.request(`/api/v1/relays/${enc(url)}?range=24h`);
  expect(res.status).toBe(200);
  return (await res.json()) as Detail;
}

async function setStatus(status: 'online' | 'offline', since: Date): Promise<void> {
  await api.ctx.dbs.writer
    .updateTable('relays')
    .set({ status, status_changed_at: since, held_at: new Date() })
    .where('url', '=', url)
    .execute();
}

beforeAll(async () => {
  api = await inProcessApi('monitors');
  const report = (pubkey: string, relay_url: string, reported_at: Date) => ({
    monitor_pubkey: pubkey.repeat(64),
    relay_url,
    event_id: pubkey.repeat(64),
    reported_at,
    rtt_open_ms: 100,
    rtt_read_ms: 50,
  });
  await api.ctx.dbs.writer
    .insertInto('monitor_reports')
    .values([
      report('a', url, hoursAgo(0.25)),
      report('b', url, hoursAgo(5)),
      report('c', url, hoursAgo(30)), // older than the window
      report('d', fixtureRelayUrl(2), hoursAgo(1)), // another relay
    ])
    .execute();
}, 60_000);

afterAll(async () => {
  await api?.close();
});

describe('relay detail: other monitors', () => {
  it('counts the recent reports, all agreeing while the relay is online here', async () => {
    await setStatus('online', hoursAgo(48));
    const body = await detail();
    expect(body.relay?.status).toBe('online');
    expect(body.monitors).toEqual({ window_hours: 24, reporting: 2, agree: 2 });
  });

  it('counts as agreeing only the reports from before the relay went down here', async () => {
    await setStatus('offline', hoursAgo(1));
    const body = await detail();
    expect(body.relay?.status).toBe('offline');
    expect(body.monitors).toEqual({ window_hours: 24, reporting: 2, agree: 1 });
  });
});
