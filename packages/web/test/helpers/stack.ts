import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SimNetwork, startSimNetwork } from '@nostr-info/relay-sim';
import { freePort } from '@nostr-info/shared/testing';
import { vi } from 'vitest';

/**
 * The built CLI (`pnpm nostr-info`, the image's entrypoint). Reached by path, not by a package
 * dependency: the CLI depends on the API, which depends on this package; turbo builds it before
 * this package's tests (`turbo.json`).
 */
const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));

/** An answer of `apiGet`. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A GET to the all-in-one from another loopback address than the browser's (127.0.0.1): the
 * API's rate limit counts per client IP, so the test's own look-ups spend a budget of their own
 * and leave the browser's alone.
 */
export function apiGet(
  origin: string,
  path: string,
  headers: Record<string, string> = {},
  localAddress = '127.0.0.2',
): Promise<Answer> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers,
        localAddress,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export interface StackOptions {
  relays?: number;
  /** Network-unique events per second from the simulated relays. */
  rate?: number;
  /** The all-in-one's scheduler period; short, so a test sees new snapshots land. */
  statsIntervalSeconds?: number;
}

/** The all-in-one process fed by a simulated relay network. */
export interface Stack {
  readonly origin: string;
  readonly net: SimNetwork;
  readonly proc: ChildProcess;
  /** What the process printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a simulated relay network and `nostr-info all-in-one` on it (embedded database,
 * in-process cache, default rate limit), and waits until a snapshot with events is served.
 */
export async function startStack({
  relays = 8,
  rate = 20,
  statsIntervalSeconds = 8,
}: StackOptions = {}): Promise<Stack> {
  const net = await startSimNetwork({ relays, rate, copies: 3, seed: 'web-dashboard', corpusSize: 4000 });
  const dataDir = mkdtempSync(join(tmpdir(), 'nostr-info-web-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [CLI, 'all-in-one'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      METRICS_PORT: String(await freePort()),
      RELAYS: net.urls.join(','),
      DISCOVERY_ENABLED: 'false',
      FLUSH_INTERVAL_MS: '1000',
      STATS_INTERVAL_SECONDS: String(statsIntervalSeconds),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  const exited = once(proc, 'exit');
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGTERM');
      await exited;
    }
    await net.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // Statistics with events in them: the collector has flushed and a later scheduler run saw it.
    await vi.waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`all-in-one exited ${proc.exitCode}\n${output}`);
        const res = await apiGet(origin, '/api/v1/stats/overview?range=24h');
        const unique =
          res.status === 200 ? (JSON.parse(res.body) as { events: { unique: number } }).events.unique : 0;
        if (unique === 0) throw new Error(`no events in a snapshot yet (status ${res.status})`);
      },
      { timeout: 90_000, interval: 3000 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { origin, net, proc, output: () => output, stop };
}
