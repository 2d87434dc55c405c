import { parseArgs } from 'node:util';
import type { SimNetworkOptions } from './sim-network-options.js';
import { RELAY_MODES, type RelayMode } from './types.js';

/** Thrown for a bad command line; the CLI prints it with the usage and exits 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** The CLI usage text. */
export const USAGE = `relay-sim: run a simulated Nostr relay network on loopback

  --relays N            relays (default 5)
  --rate N              network-unique events per second (default 50)
  --copies N            relays per multi-relay event (default 6)
  --multi-share X       share of events sent to several relays (default 0.8)
  --invalid-sig X       share of copies with a broken signature (default 0.02)
  --invalid-id X        share of copies with a broken id (default 0.01)
  --corpus N            pre-signed events the stream cycles through (default 2000)
  --corpus-cache DIR    keep the signed corpus in DIR and reuse it
  --seed S              seed (default relay-sim)
  --host H              bind address (default 127.0.0.1)
  --port N              first port (relay i on N+i; default random ports)
  --modes LIST          per-relay modes, e.g. 0:stall,3:flood,7:auth-required
  --paused              start without streaming
  --port-file PATH      write the relay URLs there, one per line (usable as RELAYS_FILE)
  --stats-every S       print a stats line every S seconds (default 0 = never)
  --options-json JSON   any SimNetworkOptions as JSON (used by startSimNetworkProcess)
  --ipc                 take commands over the Node IPC channel
  --help                this text
`;

/** A parsed command line. */
export interface CliOptions {
  network: SimNetworkOptions;
  corpusCache: string | undefined;
  portFile: string | undefined;
  statsEverySeconds: number;
  ipc: boolean;
  help: boolean;
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new CliUsageError(`--${name} must be a non-negative number, got ${v}`);
  return n;
}

function parseModes(text: string | undefined): Record<number, RelayMode> | undefined {
  if (!text) return undefined;
  const out: Record<number, RelayMode> = {};
  for (const part of text.split(',')) {
    const [i, mode] = part.split(':');
    if (!mode || !RELAY_MODES.includes(mode as RelayMode) || !/^\d+$/.test(i ?? '')) {
      throw new CliUsageError(`bad --modes entry ${JSON.stringify(part)} (modes: ${RELAY_MODES.join(', ')})`);
    }
    out[Number(i)] = mode as RelayMode;
  }
  return out;
}

/** Parses the command line into network options. */
export function parseCliArgs(argv: string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        relays: { type: 'string' },
        rate: { type: 'string' },
        copies: { type: 'string' },
        'multi-share': { type: 'string' },
        'invalid-sig': { type: 'string' },
        'invalid-id': { type: 'string' },
        corpus: { type: 'string' },
        'corpus-cache': { type: 'string' },
        seed: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        modes: { type: 'string' },
        paused: { type: 'boolean' },
        'port-file': { type: 'string' },
        'stats-every': { type: 'string' },
        'options-json': { type: 'string' },
        ipc: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new CliUsageError(err instanceof Error ? err.message : String(err));
  }
  const s = (k: string): string | undefined =>
    typeof values[k] === 'string' ? (values[k] as string) : undefined;
  let network: SimNetworkOptions = {};
  const json = s('options-json');
  if (json) {
    try {
      network = JSON.parse(json) as SimNetworkOptions;
    } catch {
      throw new CliUsageError('--options-json is not valid JSON');
    }
  }
  const set = <K extends keyof SimNetworkOptions>(key: K, value: SimNetworkOptions[K] | undefined): void => {
    if (value !== undefined) network[key] = value;
  };
  set('relays', num('relays', s('relays')));
  set('rate', num('rate', s('rate')));
  set('copies', num('copies', s('copies')));
  set('multiRelayShare', num('multi-share', s('multi-share')));
  set('invalidSigShare', num('invalid-sig', s('invalid-sig')));
  set('invalidIdShare', num('invalid-id', s('invalid-id')));
  set('corpusSize', num('corpus', s('corpus')));
  set('seed', s('seed'));
  set('host', s('host'));
  set('port', num('port', s('port')));
  set('modes', parseModes(s('modes')));
  if (values.paused === true) network.autoStart = false;
  return {
    network,
    corpusCache: s('corpus-cache'),
    portFile: s('port-file'),
    statsEverySeconds: num('stats-every', s('stats-every')) ?? 0,
    ipc: values.ipc === true,
    help: values.help === true,
  };
}
