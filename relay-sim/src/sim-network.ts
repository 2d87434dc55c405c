import type { NostrEvent } from '@nostr-info/shared/nostr';
import { corpusZapAccounts, generateCorpus } from './corpus.js';
import { EventStream } from './event-stream.js';
import { acquireSharedLnurlServer, type LnurlServer } from './lnurl-server.js';
import { networkStats, type SimNetworkStats } from './network-stats.js';
import { pollUntil } from './poll-until.js';
import { publishEvents } from './publish-events.js';
import { EventRegistry } from './registry.js';
import type { DownPeriod } from './relay-availability.js';
import { type FlapOptions, flapRelay } from './relay-flap.js';
import { wasmSigner } from './signer.js';
import type { SimNetworkOptions } from './sim-network-options.js';
import { corpusOptions, resolveSettings } from './sim-network-settings.js';
import { SimRelay } from './sim-relay.js';
import { startRelays } from './start-relays.js';
import { StreamPacer } from './stream-pacer.js';
import { computeTruth } from './truth.js';
import type { GroundTruth, TruthOptions } from './truth-types.js';
import type { RelayMode } from './types.js';

export type { SimNetworkStats } from './network-stats.js';
export type { DownPeriod } from './relay-availability.js';
export type { FlapOptions } from './relay-flap.js';

/** A running simulated relay network. */
export interface SimNetwork {
  /** Relay URLs, index = relay index. */
  readonly urls: string[];
  /** Ground truth of what was sent so far (see `GroundTruth`). */
  truth(options?: TruthOptions): GroundTruth;
  /** Stops / restarts the stream (and `flood`/`oversized` traffic). Sockets stay open. */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Emits `n` network-unique events right now, whatever the rate (for step-by-step tests). */
  emit(n: number): void;
  setMode(relayIndex: number, mode: RelayMode): void;
  /** Takes a relay off the network: sockets cut, connects refused (see `SimRelay.takeDown`). */
  takeDown(relayIndex: number): Promise<void>;
  /** Brings a relay taken down back on its port. */
  bringUp(relayIndex: number): Promise<void>;
  /** Takes a relay down and up again `cycles` times; resolves once it is back for good. */
  flap(relayIndex: number, options: FlapOptions): Promise<void>;
  /** When a relay was down (the truth for outages), oldest first. */
  downPeriods(relayIndex: number): readonly DownPeriod[];
  modes(): RelayMode[];
  /**
   * Publishes hand-built events to the given relays (default all), as each relay's copy. A copy
   * that fails verification is recorded as invalid (bad id or bad signature); a relay that already
   * holds the id ignores it. Returns the number of copies accepted.
   */
  publish(events: NostrEvent[], relayIndexes?: number[]): number;
  /** Resolves once at least `n` relays have a live (post-EOSE) subscription. */
  waitForSubscribers(n: number, timeoutMs?: number): Promise<void>;
  /**
   * Resolves once every socket's send buffer is empty and no event waits behind an unanswered
   * oversized frame (call after `pause()` before comparing).
   */
  drain(timeoutMs?: number): Promise<void>;
  stats(): SimNetworkStats;
  /**
   * The LNURL-pay server the corpus's profiles name (shared by the networks of one process): it
   * serves each recipient's zap provider key; add accounts for hand-built zaps, or take one down.
   */
  readonly lnurl: LnurlServer;
  stop(): Promise<void>;
}

/**
 * Starts N simulated relays on loopback and, unless `autoStart` is false, streams events into them:
 * the corpus goes into one registry, an `EventStream` hands it to the relays, and a `StreamPacer`
 * drives the stream at `rate`, corking every socket for each tick's batch.
 */
export async function startSimNetwork(options: SimNetworkOptions = {}): Promise<SimNetwork> {
  const settings = resolveSettings(options);
  const signer = options.signer ?? (await wasmSigner());
  const lnurl = await acquireSharedLnurlServer(options.lnurlPort);
  const seed = options.seed ?? 'relay-sim';
  for (const { name, nostrPubkey } of corpusZapAccounts(seed, options.authors ?? 200, signer))
    lnurl.server.set(name, { nostrPubkey });
  const corpusFor = corpusOptions(options, signer, lnurl.server.domain);
  const registry = EventRegistry.fromCorpus(
    options.corpus ?? (options.loadCorpus ?? generateCorpus)(corpusFor),
  );
  const relays = await startRelays(
    settings.relays,
    (i) => {
      const relay = new SimRelay(
        i,
        registry,
        settings.behaviour,
        settings.modes[i] ?? 'normal',
        settings.seed,
      );
      relay.nip11Identity = settings.nip11[i];
      return relay;
    },
    (i) => settings.hosts[i] ?? settings.host,
    settings.port,
  );
  // Hostile content (relay-list spam, fresh-key floods) is signed with the corpus's signer.
  for (const r of relays) r.hostile.useSigner(signer);
  const stream = new EventStream(registry, relays, settings.stream, settings.seed);
  const pacer = new StreamPacer({
    ratePerSecond: settings.stream.rate,
    tickMs: settings.stream.tickMs,
    onDue: (count) => {
      for (const r of relays) r.cork();
      stream.emit(count);
      for (const r of relays) r.uncork();
    },
  });
  const setPaused = (paused: boolean): void => {
    pacer.setPaused(paused);
    for (const r of relays) r.setPaused(paused);
  };
  setPaused(!settings.autoStart);
  pacer.start();

  const relayAt = (i: number): SimRelay => {
    const relay = relays[i];
    if (!relay) throw new RangeError(`no relay ${i}`);
    return relay;
  };

  return {
    urls: relays.map((r) => r.url),
    truth: (o) => computeTruth(registry, relays, o, (address) => lnurl.server.answerFor(address)),
    pause: () => setPaused(true),
    resume: () => setPaused(false),
    get paused() {
      return pacer.paused;
    },
    emit: (count) => stream.emit(count),
    setMode: (i, mode) => relayAt(i).setMode(mode),
    takeDown: (i) => relayAt(i).takeDown(),
    bringUp: (i) => relayAt(i).bringUp(),
    flap: (i, options) => flapRelay(relayAt(i), options),
    downPeriods: (i) => relayAt(i).listener.availability.periods,
    modes: () => relays.map((r) => r.mode),
    publish: (events, relayIndexes) => publishEvents(registry, relays, events, relayIndexes),
    waitForSubscribers: (count, timeoutMs = 10_000) =>
      pollUntil(
        () => relays.filter((r) => r.liveSubscriptions() > 0).length >= count,
        timeoutMs,
        `${count} subscribed relays`,
      ),
    drain: (timeoutMs = 10_000) =>
      pollUntil(
        () => relays.every((r) => r.bufferedBytes() === 0 && r.heldEvents() === 0),
        timeoutMs,
        'send buffers to drain',
      ),
    stats: () => networkStats(stream, relays),
    lnurl: lnurl.server,
    stop: async () => {
      pacer.stop();
      await Promise.all(relays.map((r) => r.close()));
      await lnurl.release();
    },
  };
}
