import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { IpcReply, IpcRequest } from './ipc-protocol.js';
import type { SimNetworkStats } from './sim-network.js';
import type { SimNetworkOptions } from './sim-network-options.js';
import type { GroundTruth, TruthOptions } from './truth-types.js';
import type { RelayMode } from './types.js';

/** Thrown when the simulator child fails to start or a command fails. */
export class SimProcessError extends Error {
  override readonly name = 'SimProcessError';
}

/** The same controls as `SimNetwork`, over IPC to a child process (every call is async). */
export interface SimNetworkProcess {
  readonly urls: string[];
  readonly pid: number | undefined;
  truth(options?: TruthOptions): Promise<GroundTruth>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  emit(n: number): Promise<void>;
  setMode(relayIndex: number, mode: RelayMode): Promise<void>;
  modes(): Promise<RelayMode[]>;
  publish(events: NostrEvent[], relayIndexes?: number[]): Promise<number>;
  waitForSubscribers(n: number, timeoutMs?: number): Promise<void>;
  drain(timeoutMs?: number): Promise<void>;
  stats(): Promise<SimNetworkStats>;
  stop(): Promise<void>;
}

/** Options of `startSimNetworkProcess`: the network options, minus in-memory objects. */
export interface SimProcessOptions extends Omit<SimNetworkOptions, 'corpus' | 'signer'> {
  /** Keep the signed corpus in this folder and reuse it across runs. */
  corpusCacheDir?: string;
  /**
   * Milliseconds to wait for the child to be ready. Default 60 s plus 3 ms per corpus event, a
   * margin over signing the corpus on a busy core (done once with `corpusCacheDir`).
   */
  startTimeoutMs?: number;
}

function cliEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  // From source (tests), run the TypeScript entry through tsx; from dist, the compiled one.
  if (here.endsWith('.ts')) return { file: join(dirname(here), 'cli.ts'), execArgv: ['--import', 'tsx'] };
  return { file: join(dirname(here), 'cli.js'), execArgv: [] };
}

/**
 * Runs the simulated network in a separate Node process (so a benchmark's collector does not
 * share its cores) and controls it over IPC.
 */
export async function startSimNetworkProcess(options: SimProcessOptions = {}): Promise<SimNetworkProcess> {
  const { corpusCacheDir, startTimeoutMs = 60_000 + 3 * (options.corpusSize ?? 2000), ...network } = options;
  const { file, execArgv } = cliEntry();
  const args = ['--ipc', '--options-json', JSON.stringify(network)];
  if (corpusCacheDir) args.push('--corpus-cache', corpusCacheDir);
  const child: ChildProcess = fork(file, args, { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;

  const urls = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new SimProcessError(`simulator not ready within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.on('message', (raw: unknown) => {
      const msg = raw as IpcReply;
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve(msg.urls);
      } else if (msg.type === 'failed') {
        clearTimeout(timer);
        reject(new SimProcessError(`simulator failed: ${msg.error}`));
      } else {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.ok) p?.resolve(msg.result);
        else p?.reject(new SimProcessError(msg.error));
      }
    });
    child.once('exit', (code) => {
      exited = true;
      clearTimeout(timer);
      reject(new SimProcessError(`simulator exited with code ${code}`));
      for (const p of pending.values()) p.reject(new SimProcessError(`simulator exited with code ${code}`));
      pending.clear();
    });
  });

  const call = <T>(req: Omit<IpcRequest, 'id'>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) {
        reject(new SimProcessError('simulator has exited'));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...req, id });
    });

  return {
    urls,
    pid: child.pid,
    truth: (o) => call({ cmd: 'truth', ...(o ? { options: o } : {}) } as IpcRequest),
    pause: () => call({ cmd: 'pause' }),
    resume: () => call({ cmd: 'resume' }),
    emit: (n) => call({ cmd: 'emit', n } as IpcRequest),
    setMode: (relay, mode) => call({ cmd: 'setMode', relay, mode } as IpcRequest),
    modes: () => call({ cmd: 'modes' }),
    publish: (events, relays) =>
      call({ cmd: 'publish', events, ...(relays ? { relays } : {}) } as IpcRequest),
    waitForSubscribers: (n, timeoutMs) =>
      call({ cmd: 'waitForSubscribers', n, ...(timeoutMs ? { timeoutMs } : {}) } as IpcRequest),
    drain: (timeoutMs) => call({ cmd: 'drain', ...(timeoutMs ? { timeoutMs } : {}) } as IpcRequest),
    stats: () => call({ cmd: 'stats' }),
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
