import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../src/fixtures.js';
import { type SimNetworkProcess, startSimNetworkProcess } from '../src/sim-process.js';
import { ReferenceCounter } from './reference-counter.js';
import { COLLECTED_KINDS, TestClient } from './test-client.js';

const CLI = join(import.meta.dirname, '../src/cli.ts');

function runCli(
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { timeout: timeoutMs },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

describe('simulator in its own process', () => {
  let sim: SimNetworkProcess;
  const clients: TestClient[] = [];
  const cacheDir = mkdtempSync(join(tmpdir(), 'relay-sim-corpus-'));
  beforeAll(async () => {
    sim = await startSimNetworkProcess({
      relays: 4,
      seed: 'process',
      corpusSize: 300,
      autoStart: false,
      corpusCacheDir: cacheDir,
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await sim?.stop();
  });

  it('serves the same URLs and ground truth over IPC', async () => {
    expect(sim.urls).toHaveLength(4);
    const cached = readdirSync(cacheDir).filter((f) => f.startsWith('corpus-process-300-'));
    expect(cached).toHaveLength(1);
    expect(readFileSync(join(cacheDir, cached[0] ?? ''), 'utf8').split('\n').length).toBe(301);
    for (const url of sim.urls) {
      const c = await TestClient.connect(url);
      c.req('live', { kinds: COLLECTED_KINDS, since: Math.floor(Date.now() / 1000) + 3600 });
      clients.push(c);
    }
    await sim.waitForSubscribers(4);
    await sim.emit(120);
    const fixture = makeEvent({
      kind: 1,
      content: 'hand-built',
      tags: [['client', ' Gossip ']],
      keyIndex: 11,
    });
    expect(await sim.publish([fixture], [0, 2])).toBe(2);
    await sim.drain();
    const stats = await sim.stats();
    await clients[0]?.waitFor(() => clients.reduce((s, c) => s + c.events.length, 0) === stats.eventFrames);
    const ref = new ReferenceCounter();
    sim.urls.forEach((url, i) => {
      for (const { ev } of clients[i]?.events ?? []) ref.add(url, ev);
    });
    const truth = await sim.truth();
    expect(truth.unique).toBe(ref.summary().unique);
    expect(truth.clients.gossip).toEqual({ events: 1, users: 1 });
    for (const url of sim.urls) expect(truth.relays[url]?.validByKind).toEqual(ref.relayValidByKind(url));
    await sim.setMode(1, 'stall');
    expect((await sim.modes())[1]).toBe('stall');
  });

  it('CLI: writes the URLs to --port-file and refuses bad arguments with exit code 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--port-file');
    const bad = await runCli(['--relays', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--relays must be');
    const portFile = join(cacheDir, 'urls.txt');
    const child = execFile(process.execPath, [
      '--import',
      'tsx',
      CLI,
      '--relays',
      '3',
      '--corpus',
      '50',
      '--port-file',
      portFile,
    ]);
    try {
      const deadline = Date.now() + 30_000;
      let urls: string[] = [];
      while (Date.now() < deadline) {
        try {
          urls = readFileSync(portFile, 'utf8').split('\n').filter(Boolean);
          if (urls.length === 3) break;
        } catch {
          // not written yet
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(urls).toHaveLength(3);
      const c = await TestClient.connect(urls[2] ?? '');
      c.req('x', { kinds: [1], limit: 1 });
      await c.waitFor(() => c.eose.has('x'));
      c.close();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
