import type { NostrEvent } from '@nostr-info/shared/nostr';
import { ModeInterval } from './mode-interval.js';
import type { RelayBehaviour } from './relay-behaviour.js';
import { deriveSecretKey } from './rng.js';
import { pureSigner, type Signer } from './signer.js';
import type { RelayMode } from './types.js';

/** Period of the `fresh-key-flood` pump. */
const FLOOD_TICK_MS = 20;

/**
 * `relay-list-spam`: `versions` relay lists (kind 10002) of ONE key, each naming `url`, with
 * created_at spread over the last `versions / 10` seconds before `now` (so some share a second and
 * NIP-01's lowest-id rule decides between them).
 */
export function relayListSpam(
  signer: Signer,
  {
    seed,
    relayIndex,
    versions,
    url,
    now,
  }: { seed: string; relayIndex: number; versions: number; url: string; now: number },
): NostrEvent[] {
  const secret = deriveSecretKey(seed, 'relay-list-spam', relayIndex);
  return Array.from({ length: versions }, (_, k) =>
    signer.finalize(
      {
        kind: 10002,
        created_at: now - Math.floor((versions - 1 - k) / 10),
        tags: [['r', url]],
        content: `version ${k}`,
      },
      secret,
    ),
  );
}

/** `fresh-key-flood`: `count` valid kind-1 notes, each signed by a key of its own. */
export function freshKeyFlood(
  signer: Signer,
  { seed, relayIndex, count, now }: { seed: string; relayIndex: number; count: number; now: number },
): NostrEvent[] {
  return Array.from({ length: count }, (_, k) =>
    signer.finalize(
      { kind: 1, created_at: now, tags: [], content: `fresh key ${relayIndex}/${k}: buy now` },
      deriveSecretKey(seed, `fresh-key-flood-${relayIndex}`, k),
    ),
  );
}

/** What the hostile content needs of its relay. */
export interface HostileHost {
  readonly index: number;
  readonly mode: RelayMode;
  readonly paused: boolean;
  readonly behaviour: RelayBehaviour;
  /** Stores a valid event on this relay and sends it to live subscriptions (see `SimRelay`). */
  storePublished(ev: NostrEvent): boolean;
}

/**
 * The content-bearing hostile modes of one relay. Events are signed once, on first need, with the
 * network's signer (`useSigner`; the WebAssembly one signs thousands in about a second), and go
 * into the registry like any published event, so the ground truth counts them exactly.
 * - `relay-list-spam`: every version goes out once a subscription is live (`subscriptionLive`).
 * - `fresh-key-flood`: while the stream runs, `freshFloodPerSecond` events a second until all
 *   `freshFloodEvents` have gone out.
 */
export class HostileContent {
  private signer: Signer = pureSigner;
  /** True once the network's signer came: content is then made ahead of need. */
  private signerSet = false;
  private spam: NostrEvent[] | undefined;
  private fresh: NostrEvent[] | undefined;
  private freshSent = 0;
  private readonly pump: ModeInterval;

  constructor(
    private readonly host: HostileHost,
    private readonly seed: string,
  ) {
    this.pump = new ModeInterval('fresh-key-flood', FLOOD_TICK_MS, () => this.floodTick());
  }

  /** Signs with `signer` from now on, and prepares the content the current mode needs. */
  useSigner(signer: Signer): void {
    this.signer = signer;
    this.signerSet = true;
    this.follow(this.host.mode);
  }

  /**
   * Follows a mode change: content for the new mode is made (once a signer is set; else on first
   * need, with the slower pure-JS signer), and the flood pump runs only in its mode.
   */
  follow(mode: RelayMode): void {
    if (this.signerSet && mode === 'relay-list-spam') this.spamEvents();
    if (this.signerSet && mode === 'fresh-key-flood') this.freshEvents();
    this.pump.follow(mode);
  }

  /** A subscription went live: `relay-list-spam` sends its versions (each relay takes one once). */
  subscriptionLive(): void {
    if (this.host.mode !== 'relay-list-spam') return;
    for (const ev of this.spamEvents()) this.host.storePublished(ev);
  }

  stop(): void {
    this.pump.stop();
  }

  private floodTick(): void {
    if (this.host.paused) return;
    const events = this.freshEvents();
    const perTick = Math.max(1, Math.round((this.host.behaviour.freshFloodPerSecond * FLOOD_TICK_MS) / 1000));
    const end = Math.min(events.length, this.freshSent + perTick);
    for (; this.freshSent < end; this.freshSent++) {
      const ev = events[this.freshSent];
      if (ev) this.host.storePublished(ev);
    }
  }

  private spamEvents(): NostrEvent[] {
    const b = this.host.behaviour;
    this.spam ??= relayListSpam(this.signer, {
      seed: this.seed,
      relayIndex: this.host.index,
      versions: b.spamVersions,
      url: b.spamRelayUrl,
      now: Math.floor(Date.now() / 1000),
    });
    return this.spam;
  }

  private freshEvents(): NostrEvent[] {
    this.fresh ??= freshKeyFlood(this.signer, {
      seed: this.seed,
      relayIndex: this.host.index,
      count: this.host.behaviour.freshFloodEvents,
      now: Math.floor(Date.now() / 1000),
    });
    return this.fresh;
  }
}
