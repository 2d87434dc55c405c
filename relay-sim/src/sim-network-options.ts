import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { CorpusOptions } from './corpus.js';
import type { Nip11Identity } from './nip11.js';
import type { RelayBehaviour } from './relay-behaviour.js';
import type { Signer } from './signer.js';
import type { RelayMode } from './types.js';

/** Options of `startSimNetwork`; every field has a default. */
export interface SimNetworkOptions extends Partial<RelayBehaviour> {
  /** Number of relays (default 5). */
  relays?: number;
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
  /**
   * Loopback address per relay index (default `host` for every relay): relays on distinct
   * addresses have distinct URL hosts, so a test can resolve each relay's host its own way.
   */
  hosts?: Record<number, string> | string[];
  /** NIP-11 software, version and NIPs per relay index (default the simulator's own). */
  nip11?: Record<number, Nip11Identity> | Nip11Identity[];
  /** First port; relay i listens on port + i. Default 0: each relay gets a random free port. */
  port?: number;
  /** Seed for keys, contents and every random choice of the stream (default "relay-sim"). */
  seed?: string;
  /** Network-unique events per second streamed while not paused (default 50). */
  rate?: number;
  /** Relays that carry a multi-relay event (default 6, capped at the relay count). */
  copies?: number;
  /** Share of events sent to `copies` relays; the rest go to a single relay (default 0.8). */
  multiRelayShare?: number;
  /** Share of copies whose signature is broken, and whose id is broken (defaults 0.02 and 0.01). */
  invalidSigShare?: number;
  invalidIdShare?: number;
  /** Pre-signed events; the stream cycles through them (ids repeat after that; default 2000). */
  corpusSize?: number;
  /** A ready corpus instead of generating one (its profiles' Lightning addresses are its own). */
  corpus?: NostrEvent[];
  /**
   * Makes the corpus instead of `generateCorpus` (e.g. loads it from disk), given the options that
   * name the network's LNURL server.
   */
  loadCorpus?: (options: CorpusOptions) => NostrEvent[];
  /**
   * Port the process's LNURL server should listen on when this network starts it (default a free
   * one; a busy port falls back to a free one). Profiles name that port, so a saved corpus is
   * reused only by a server on the same port.
   */
  lnurlPort?: number;
  /** Kind weights (default `DEFAULT_KIND_WEIGHTS`). */
  kinds?: Record<number, number>;
  /** Client names for NIP-89 tags (default `DEFAULT_CLIENTS`) and the share of tagged events (0.6). */
  clients?: string[];
  clientTagShare?: number;
  /**
   * created_at of the first corpus event (unix seconds; default now); event i gets
   * `createdAtBase + floor(i / rate)`, i.e. about the moment the stream sends it. Pin it, with
   * `seed`, for the same event ids run after run (signatures differ: Schnorr signing is randomised).
   */
  createdAtBase?: number;
  /** Authors in the corpus (default 200). */
  authors?: number;
  /** Mode per relay index (default all `normal`). */
  modes?: Record<number, RelayMode> | RelayMode[];
  /** Start streaming at once (default true); false starts paused. */
  autoStart?: boolean;
  /** Stream timer period (default 20 ms). */
  tickMs?: number;
  /** Signer for the corpus (default nostr-tools with nostr-wasm). */
  signer?: Signer;
}
