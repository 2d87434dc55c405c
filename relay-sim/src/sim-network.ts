import { getEventHash } from 'nostr-tools/pure';
import { type CorpusOptions, generateCorpus } from './corpus.js';
import { EventRegistry } from './registry.js';
import { DEFAULT_BEHAVIOUR, type RelayBehaviour } from './relay-behaviour.js';
import { Rng } from './rng.js';
import { verifyNostrEvent, wasmSigner } from './signer.js';
import type { SimNetworkOptions } from './sim-network-options.js';
import { SimRelay } from './sim-relay.js';
import { computeTruth } from './truth.js';
import type { GroundTruth, TruthOptions } from './truth-types.js';
import type { CopyState, NostrEvent, RelayMode } from './types.js';

/** Live figures of a running network. */
export interface SimNetworkStats {
  uniqueEmitted: number;
  copiesEmitted: number;
  connections: number;
  liveSubscriptions: number;
  eventFrames: number;
  bufferedBytes: number;
}

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
  stop(): Promise<void>;
}

function modeList(n: number, modes: SimNetworkOptions['modes']): RelayMode[] {
  const out: RelayMode[] = [];
  for (let i = 0; i < n; i++) out.push((modes as Record<number, RelayMode> | undefined)?.[i] ?? 'normal');
  return out;
}

/** Starts N simulated relays on loopback and, unless `autoStart` is false, streams events into them. */
export async function startSimNetwork(options: SimNetworkOptions = {}): Promise<SimNetwork> {
  const n = Math.max(1, options.relays ?? 5);
  const seed = options.seed ?? 'relay-sim';
  const host = options.host ?? '127.0.0.1';
  const behaviour: RelayBehaviour = { ...DEFAULT_BEHAVIOUR };
  for (const key of Object.keys(DEFAULT_BEHAVIOUR) as (keyof RelayBehaviour)[]) {
    const v = options[key];
    if (v !== undefined) (behaviour as unknown as Record<string, unknown>)[key] = v;
  }
  const registry = new EventRegistry();
  const signer = options.signer ?? (await wasmSigner());
  const corpusOpts: CorpusOptions = { size: options.corpusSize ?? 2000, seed, signer };
  if (options.kinds) corpusOpts.kinds = options.kinds;
  if (options.clients) corpusOpts.clients = options.clients;
  if (options.clientTagShare !== undefined) corpusOpts.clientTagShare = options.clientTagShare;
  if (options.authors !== undefined) corpusOpts.authors = options.authors;
  if (options.createdAtBase !== undefined) corpusOpts.now = options.createdAtBase;
  if ((options.rate ?? 50) > 0) corpusOpts.eventsPerSecond = options.rate ?? 50;
  const corpus = options.corpus ?? generateCorpus(corpusOpts);
  for (const ev of corpus) registry.add(ev, true);
  registry.corpusSize = registry.size;

  const modes = modeList(n, options.modes);
  const relays: SimRelay[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const relay = new SimRelay(i, registry, behaviour, modes[i] ?? 'normal', seed);
      relays.push(relay);
      await relay.listen(host, options.port ? options.port + i : 0);
    }
  } catch (err) {
    await Promise.all(relays.map((r) => r.close()));
    throw err;
  }

  const rng = new Rng(`${seed}:stream`);
  const rate = options.rate ?? 50;
  const copies = Math.min(n, Math.max(1, options.copies ?? 6));
  const multiShare = options.multiRelayShare ?? 0.8;
  const badSig = options.invalidSigShare ?? 0.02;
  const badId = options.invalidIdShare ?? 0.01;
  const tickMs = options.tickMs ?? 20;
  let cursor = 0;
  let uniqueEmitted = 0;
  let copiesEmitted = 0;
  let paused = options.autoStart === false;
  let owed = 0;
  let last = performance.now();

  const emitOne = (): void => {
    const index = cursor++ % registry.corpusSize;
    const targets = rng.chance(multiShare) ? rng.sample(n, copies) : [rng.int(n)];
    let sent = false;
    for (const r of targets) {
      const relay = relays[r];
      if (!relay || relay.emitted.has(index)) continue;
      const roll = rng.next();
      const state: CopyState = roll < badSig ? 'bad-sig' : roll < badSig + badId ? 'bad-id' : 'valid';
      if (relay.accept(index, state, registry.copyJson(index, state))) {
        copiesEmitted++;
        sent = true;
      }
    }
    // Once the cursor has wrapped round the corpus, every relay has the event already: nothing is
    // streamed, so nothing is counted as offered.
    if (sent) uniqueEmitted++;
  };
  const timer = setInterval(() => {
    const now = performance.now();
    if (paused) {
      last = now;
      return;
    }
    owed += ((now - last) / 1000) * rate;
    last = now;
    // Never burst more than a second's worth after a stall of the event loop.
    owed = Math.min(owed, Math.max(rate, 1));
    if (owed < 1) return;
    for (const r of relays) r.cork();
    while (owed >= 1) {
      emitOne();
      owed--;
    }
    for (const r of relays) r.uncork();
  }, tickMs);

  const setPaused = (p: boolean): void => {
    paused = p;
    for (const r of relays) r.paused = p;
  };
  setPaused(paused);

  const pollUntil = async (ok: () => boolean, timeoutMs: number, what: string): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`relay-sim: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  return {
    urls: relays.map((r) => r.url),
    truth: (o) => computeTruth(registry, relays, o),
    pause: () => setPaused(true),
    resume: () => setPaused(false),
    get paused() {
      return paused;
    },
    emit: (count) => {
      for (let i = 0; i < count; i++) emitOne();
    },
    setMode: (i, mode) => {
      const relay = relays[i];
      if (!relay) throw new RangeError(`no relay ${i}`);
      relay.setMode(mode);
    },
    modes: () => relays.map((r) => r.mode),
    publish: (events, relayIndexes) => {
      let accepted = 0;
      for (const ev of events) {
        const valid = verifyNostrEvent(ev);
        let state: CopyState = 'valid';
        if (!valid) state = safeHash(ev) === ev.id ? 'bad-sig' : 'bad-id';
        const index = registry.add(ev, valid);
        const json = JSON.stringify(ev);
        for (const i of relayIndexes ?? relays.map((_, k) => k)) {
          if (relays[i]?.accept(index, state, json)) accepted++;
        }
      }
      return accepted;
    },
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
    stats: () => ({
      uniqueEmitted,
      copiesEmitted,
      connections: relays.reduce((s, r) => s + r.conns.size, 0),
      liveSubscriptions: relays.reduce((s, r) => s + r.liveSubscriptions(), 0),
      eventFrames: relays.reduce((s, r) => s + r.counters.eventFrames, 0),
      bufferedBytes: relays.reduce((s, r) => s + r.bufferedBytes(), 0),
    }),
    stop: async () => {
      clearInterval(timer);
      await Promise.all(relays.map((r) => r.close()));
    },
  };
}

function safeHash(ev: NostrEvent): string | undefined {
  try {
    return getEventHash(ev);
  } catch {
    return undefined;
  }
}
