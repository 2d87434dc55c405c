import type { CorpusOptions } from './corpus.js';
import type { Nip11Identity } from './nip11.js';
import { DEFAULT_BEHAVIOUR, type RelayBehaviour } from './relay-behaviour.js';
import type { Signer } from './signer.js';
import type { SimNetworkOptions } from './sim-network-options.js';
import type { RelayMode } from './types.js';

/** How the network streams, every default of `SimNetworkOptions` applied. */
export interface StreamSettings {
  /** Network-unique events per second; 0 streams nothing (only `emit`). */
  rate: number;
  /** Relays that carry a multi-relay event, between 1 and the relay count. */
  copies: number;
  multiRelayShare: number;
  invalidSigShare: number;
  invalidIdShare: number;
  tickMs: number;
}

/** Everything `startSimNetwork` builds from its options, defaults applied. */
export interface SimNetworkSettings {
  relays: number;
  seed: string;
  host: string;
  /** Address per relay index, one per relay. */
  hosts: string[];
  /** NIP-11 identity per relay index (undefined: the simulator's defaults). */
  nip11: (Nip11Identity | undefined)[];
  /** First port, or 0 for a random free port per relay. */
  port: number;
  autoStart: boolean;
  /** Mode per relay index, one per relay. */
  modes: RelayMode[];
  behaviour: RelayBehaviour;
  stream: StreamSettings;
}

/** Applies the defaults documented on `SimNetworkOptions`. */
export function resolveSettings(options: SimNetworkOptions): SimNetworkSettings {
  const relays = Math.max(1, options.relays ?? 5);
  return {
    relays,
    seed: options.seed ?? 'relay-sim',
    host: options.host ?? '127.0.0.1',
    hosts: perRelay(relays, options.hosts).map((h) => h ?? options.host ?? '127.0.0.1'),
    nip11: perRelay(relays, options.nip11),
    port: options.port ?? 0,
    autoStart: options.autoStart !== false,
    modes: relayModes(relays, options.modes),
    behaviour: relayBehaviour(options),
    stream: {
      rate: options.rate ?? 50,
      copies: Math.min(relays, Math.max(1, options.copies ?? 6)),
      multiRelayShare: options.multiRelayShare ?? 0.8,
      invalidSigShare: options.invalidSigShare ?? 0.02,
      invalidIdShare: options.invalidIdShare ?? 0.01,
      tickMs: options.tickMs ?? 20,
    },
  };
}

/**
 * The corpus the options ask for (when they bring none); created_at follows the stream rate, and
 * profiles name Lightning addresses on `lnurlDomain` (the network's LNURL server).
 */
export function corpusOptions(
  options: SimNetworkOptions,
  signer: Signer,
  lnurlDomain?: string,
): CorpusOptions {
  const rate = options.rate ?? 50;
  return {
    size: options.corpusSize ?? 2000,
    seed: options.seed ?? 'relay-sim',
    signer,
    ...(lnurlDomain ? { lnurlDomain } : {}),
    ...(options.kinds ? { kinds: options.kinds } : {}),
    ...(options.clients ? { clients: options.clients } : {}),
    ...(options.clientTagShare !== undefined ? { clientTagShare: options.clientTagShare } : {}),
    ...(options.authors !== undefined ? { authors: options.authors } : {}),
    ...(options.createdAtBase !== undefined ? { now: options.createdAtBase } : {}),
    ...(rate > 0 ? { eventsPerSecond: rate } : {}),
  };
}

function relayModes(relays: number, modes: SimNetworkOptions['modes']): RelayMode[] {
  return perRelay(relays, modes).map((m) => m ?? 'normal');
}

/** A per-relay option (array or index map) as one entry per relay, undefined where unset. */
function perRelay<T>(relays: number, values: Record<number, T> | T[] | undefined): (T | undefined)[] {
  const byIndex = values as Record<number, T> | undefined;
  return Array.from({ length: relays }, (_, i) => byIndex?.[i]);
}

function relayBehaviour(options: SimNetworkOptions): RelayBehaviour {
  const behaviour: RelayBehaviour = { ...DEFAULT_BEHAVIOUR };
  for (const key of Object.keys(DEFAULT_BEHAVIOUR) as (keyof RelayBehaviour)[]) {
    const v = options[key];
    if (v !== undefined) (behaviour as unknown as Record<string, unknown>)[key] = v;
  }
  return behaviour;
}
