import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SteadyStream, startThirdPartyRelay, type ThirdPartyRelay } from '@nostr-info/relay-sim';
import { createDatabases } from '@nostr-info/shared/db';
import { relaysUp, truthOf, writtenFigures } from '@nostr-info/shared/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliProcess, freePort, waitForStatus } from './cli-process.js';

// The all-in-one on its embedded database (PGlite in DATA_DIR, cache in process memory) stopped
// mid-stream, by SIGKILL or SIGTERM, and started again on the same directory, while real
// third-party relays keep every event: afterwards unique events by kind, the copies credited to
// every relay and the active pubkeys equal what the relays accepted. Everything the cache held is
// gone with the process; the resume points and counted ids in the data directory are the truth.

const RELAYS = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('all-in-one stopped mid-stream and started again on its data directory', () => {
  let relays: ThirdPartyRelay[] = [];
  let stream: SteadyStream | undefined;
  let dataDir = '';
  const procs: CliProcess[] = [];

  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    stream?.close();
    for (const r of relays) await r.stop();
    relays = [];
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (): Promise<{ proc: CliProcess; port: number }> => {
    const port = await freePort();
    const proc = new CliProcess(['all-in-one'], {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      METRICS_PORT: String(await freePort()),
      RELAYS: relays.map((r) => r.url).join(','),
      DISCOVERY_ENABLED: 'false',
      STATS_INTERVAL_SECONDS: '3600',
      FLUSH_INTERVAL_MS: '1000',
      RECONCILE_INTERVAL_MS: '1000',
      VERIFY_WORKERS: '1',
    });
    procs.push(proc);
    await waitForStatus(`http://127.0.0.1:${port}/health`, 200, proc);
    return { proc, port };
  };

  /** Waits until the process has every relay subscribed (its /metrics). */
  const allUp = (port: number) =>
    vi.waitFor(
      async () => {
        const up = await relaysUp(`http://127.0.0.1:${port}/metrics`);
        if (up !== RELAYS) throw new Error(`${up} of ${RELAYS} relays subscribed`);
      },
      { timeout: 60_000, interval: 100 },
    );

  const run = async (signal: 'SIGKILL' | 'SIGTERM') => {
    dataDir = mkdtempSync(join(tmpdir(), 'nostr-info-aio-crash-'));
    relays = await Promise.all(Array.from({ length: RELAYS }, () => startThirdPartyRelay()));
    stream = new SteadyStream({ urls: relays.map((r) => r.url), rate: 30, copies: 2, spreadMs: 1000 });
    const first = await start();
    await allUp(first.port);
    await stream.start();
    await sleep(4000);
    await first.proc.stop(signal, 60_000);
    // Published while nothing reads: the restart must ask for it.
    await sleep(1500);
    const second = await start();
    await allUp(second.port);
    await sleep(3000);
    await stream.stop();
    await sleep(3000);
    expect((await second.proc.stop('SIGTERM', 60_000)).code).toBe(0);

    const dbs = await createDatabases({ dataDir });
    try {
      const written = await writtenFigures(
        dbs.reader,
        relays.map((r) => r.url),
      );
      expect(stream.truth().ids.size).toBeGreaterThan(150);
      expect(written).toEqual(truthOf(stream.truth()));
    } finally {
      await dbs.close();
    }
  };

  it('kill -9: the data directory reopens and counts resume exactly from the last committed flush', async () => {
    await run('SIGKILL');
  });

  it('SIGTERM: the restart resumes from the resume points the stop committed', async () => {
    await run('SIGTERM');
  });
});
