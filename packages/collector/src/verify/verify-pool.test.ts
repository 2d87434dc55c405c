import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterAll, describe, expect, it } from 'vitest';
import { autoWorkers, VerifyPool } from './verify-pool.js';

describe('VerifyPool', () => {
  const pool = new VerifyPool({ workers: 2, batchSize: 16 });
  afterAll(() => pool.close());

  it('uses the native libsecp256k1 addon on every thread when it is built', async () => {
    // The workspace builds the addon at install (onlyBuiltDependencies); a missing build would
    // silently cost most of the verification throughput.
    expect(pool.backend).toBe('libsecp256k1-native');
    // Each worker reports its verifier once it has loaded it.
    await pool.ready();
    expect(pool.workerBackends).toEqual(['libsecp256k1-native', 'libsecp256k1-native']);
  });

  it('verifies BIP-340 signatures on worker threads', async () => {
    const events = Array.from({ length: 50 }, (_, i) =>
      finalizeEvent(
        { kind: 1, created_at: 1_700_000_000 + i, tags: [], content: `n${i}` },
        generateSecretKey(),
      ),
    );
    const forged = events.map((e, i) =>
      i % 5 === 0 ? { ...e, sig: events[(i + 1) % 50]?.sig ?? e.sig } : e,
    );
    const results = await Promise.all(forged.map((e) => pool.verify(e)));
    for (const [i, ok] of results.entries()) expect(ok).toBe(i % 5 !== 0);
  });

  it('treats a pubkey that is not on the curve as invalid', async () => {
    const e = finalizeEvent({ kind: 1, created_at: 1, tags: [], content: '' }, generateSecretKey());
    expect(await pool.verify({ ...e, pubkey: 'f'.repeat(64) })).toBe(false);
  });
});

describe('VerifyPool shutdown', () => {
  it('closes right after start without tearing a worker down inside the native addon', async () => {
    // A worker terminated while it loads the addon aborts the process; close() must wait for a
    // safe point. Several pools closed at once while their workers are still starting.
    for (let round = 0; round < 5; round++) {
      const pools = Array.from({ length: 3 }, () => new VerifyPool({ workers: 2 }));
      await Promise.all(pools.map((p) => p.close()));
      for (const p of pools) expect(p.workerBackends.length).toBeLessThanOrEqual(2);
    }
    // The process survived; a closed pool still answers, on the calling thread.
    const closed = new VerifyPool({ workers: 1 });
    await closed.close();
    const e = finalizeEvent(
      { kind: 1, created_at: 2, tags: [], content: 'after close' },
      generateSecretKey(),
    );
    expect(await closed.verify(e)).toBe(true);
  });
});

describe('VerifyPool worker failures', () => {
  // Signed events with every fifth signature swapped for another event's (invalid).
  const signed = (n: number, tag: string) => {
    const events = Array.from({ length: n }, (_, i) =>
      finalizeEvent(
        { kind: 1, created_at: 1_700_000_000 + i, tags: [], content: `${tag}${i}` },
        generateSecretKey(),
      ),
    );
    return events.map((e, i) => (i % 5 === 0 ? { ...e, sig: events[(i + 1) % n]?.sig ?? e.sig } : e));
  };
  const expectVerified = async (pool: VerifyPool, items: { id: string; pubkey: string; sig: string }[]) => {
    const results = await Promise.all(items.map((e) => pool.verify(e)));
    for (const [i, ok] of results.entries()) expect(ok).toBe(i % 5 !== 0);
  };
  const thread = (pool: VerifyPool, i: number) => {
    const worker = pool.threads[i];
    if (!worker) throw new Error(`no worker ${i}`);
    return worker;
  };
  const waitFor = async (check: () => boolean, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  // Both failures go through the worker's own message loop, so the thread never dies inside the
  // native addon: `exit` is the clean exit close() uses, a batch without bytes makes `verifyBatch`
  // throw (uncaught).
  const failures = {
    exits: { exit: true },
    crashes: { batchId: 0, packed: null, count: 1 },
  };

  for (const [how, message] of Object.entries(failures)) {
    it(`answers every batch queued on a worker that ${how} with its true result`, async () => {
      const pool = new VerifyPool({ workers: 1, batchSize: 8 });
      await pool.ready();
      const sent = pool.batches;
      // Queued behind the failure: the worker dies before answering any of these five batches.
      thread(pool, 0).postMessage(message);
      await expectVerified(pool, signed(40, how));
      expect(pool.batches - sent).toBe(5);
      expect(pool.inFlight).toBe(0);
      await pool.close();
    });
  }

  it('replaces a dead worker and sends new batches to the replacement', async () => {
    // A replacement a second later: time to look at the pool without it, even on a busy machine.
    const pool = new VerifyPool({ workers: 2, batchSize: 8, respawnMs: 1000 });
    await pool.ready();
    const dead = thread(pool, 0);
    dead.postMessage(failures.crashes);
    await new Promise((r) => dead.once('exit', r));
    // Meanwhile the other worker takes every batch.
    expect(pool.size).toBe(1);
    let sent = pool.batches;
    await expectVerified(pool, signed(20, 'meanwhile'));
    expect(pool.batches - sent).toBe(3);
    await waitFor(() => pool.respawns === 1);
    await pool.ready();
    expect(pool.size).toBe(2);
    expect(thread(pool, 0)).not.toBe(dead);
    // Idle workers: the first (the replacement) gets the batch, and answers it.
    sent = pool.batches;
    await expectVerified(pool, signed(8, 'replaced'));
    expect(pool.batches).toBe(sent + 1);
    expect(pool.workerBackends).toEqual(['libsecp256k1-native', 'libsecp256k1-native']);
    await pool.close();
  });

  it('verifies on the calling thread while no worker runs, and closes without a respawn', async () => {
    const pool = new VerifyPool({ workers: 1, batchSize: 8, respawnMs: 2000 });
    await pool.ready();
    const dead = thread(pool, 0);
    dead.postMessage(failures.exits);
    await new Promise((r) => dead.once('exit', r));
    expect(pool.size).toBe(0);
    const sent = pool.batches;
    await expectVerified(pool, signed(20, 'inline'));
    expect(pool.batches).toBe(sent);
    // Closing while the replacement is due cancels it.
    await pool.close();
    await new Promise((r) => setTimeout(r, 2500));
    expect(pool.respawns).toBe(0);
    expect(pool.size).toBe(0);
  });

  it('backs off between replacements of a worker that keeps dying', async () => {
    const pool = new VerifyPool({ workers: 1 });
    await pool.ready();
    const gaps: number[] = [];
    for (let round = 0; round < 3; round++) {
      const dead = thread(pool, 0);
      const exited = new Promise((r) => dead.once('exit', r));
      dead.postMessage(failures.exits);
      await exited;
      const died = performance.now();
      await waitFor(() => pool.threads[0] !== dead);
      gaps.push(performance.now() - died);
      await pool.ready();
    }
    // 100, 200, 400 ms (timers may fire a millisecond early).
    expect(gaps[0]).toBeGreaterThanOrEqual(95);
    expect(gaps[1]).toBeGreaterThanOrEqual(195);
    expect(gaps[2]).toBeGreaterThanOrEqual(395);
    expect(pool.respawns).toBe(3);
    await pool.close();
  });
});

describe('autoWorkers', () => {
  it('gives the native verifier one worker per two cores (1 to 4) and the WASM one every core', () => {
    expect([1, 2, 3, 4, 8, 16].map((c) => autoWorkers('libsecp256k1-native', c))).toEqual([1, 1, 1, 2, 4, 4]);
    expect([1, 2, 8].map((c) => autoWorkers('libsecp256k1-wasm', c))).toEqual([1, 2, 8]);
  });
});
