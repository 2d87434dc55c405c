import { type NostrEvent, OFF_FILTER_REASONS, type OffFilterReason } from '@nostr-info/shared/nostr';
import type { Conn, Sub } from './relay-conn.js';
import { deriveSecretKey } from './rng.js';
import { pureSigner, type Signer } from './signer.js';
import type { RelayMode } from './types.js';

const DAY = 86_400;

/** Subscription id an `off-filter` relay sends events under, never given to it by anyone. */
export const FOREIGN_SUBSCRIPTION = 'not-yours';

/** Kinds an `off-filter` relay sends that no collector subscribes to (DMs, gift wraps, ephemeral). */
export const OFF_FILTER_KINDS = [4, 1059, 20001] as const;

/** One event an `off-filter` relay sends, and which rule of the subscription it breaks. */
export interface OffFilterEvent {
  ev: NostrEvent;
  reason: OffFilterReason;
}

/**
 * The events an `off-filter` relay sends on every live subscription, each breaking exactly one
 * rule: kinds not asked for (created now, under the subscription); collected kinds created 30 days
 * ago (far below any `since` and its tolerance; a relay list among them names
 * `wss://off-filter.sim.example`); collected kinds created now under `FOREIGN_SUBSCRIPTION`.
 */
export function offFilterEvents(
  signer: Signer,
  seed: string,
  relayIndex: number,
  now: number,
): OffFilterEvent[] {
  const secret = deriveSecretKey(seed, 'off-filter', relayIndex);
  const make = (kind: number, created_at: number, tags: string[][] = []) =>
    signer.finalize({ kind, created_at, tags, content: `off-filter ${relayIndex} ${kind}` }, secret);
  return [
    ...OFF_FILTER_KINDS.map((kind) => ({ ev: make(kind, now), reason: 'kind' as const })),
    { ev: make(1, now - 30 * DAY), reason: 'since' },
    { ev: make(0, now - 30 * DAY), reason: 'since' },
    { ev: make(10002, now - 30 * DAY, [['r', 'wss://off-filter.sim.example']]), reason: 'since' },
    { ev: make(1, now), reason: 'subscription' },
    { ev: make(7, now, [['k', '1']]), reason: 'subscription' },
  ];
}

/** Dated sets already signed, so every relay of a network in this process serves the same copies. */
const datedSets = new Map<string, NostrEvent[]>();

/**
 * Events one key signed at `offsetSeconds` from the start of the current hour (negative: in the
 * past): a profile, a note and a long-form article. The same events for every relay of a network
 * (derived from its seed and `label`, dated from the hour, signed once).
 */
export function datedEvents(
  signer: Signer,
  seed: string,
  label: string,
  now: number,
  offsetSeconds: number,
): NostrEvent[] {
  const created_at = Math.floor(now / 3600) * 3600 + offsetSeconds;
  const key = `${seed}|${label}|${created_at}`;
  const known = datedSets.get(key);
  if (known) return known;
  const secret = deriveSecretKey(seed, label, 0);
  const events = [
    signer.finalize({ kind: 0, created_at, tags: [], content: `{"name":"${label}"}` }, secret),
    signer.finalize({ kind: 1, created_at, tags: [], content: `${label} note` }, secret),
    signer.finalize(
      { kind: 30023, created_at, tags: [['d', `${label}-article`]], content: `# ${label}` },
      secret,
    ),
  ];
  datedSets.set(key, events);
  return events;
}

/** What the filter modes need of their relay. */
export interface FilterModesHost {
  readonly index: number;
  readonly mode: RelayMode;
  /** Stores a valid event on this relay and sends it to live subscriptions (see `SimRelay`). */
  storePublished(ev: NostrEvent): boolean;
  /** Writes one EVENT frame `<sub.head><json>]` that is not a stored copy; false when not written. */
  sendJunk(conn: Conn, sub: Sub, json: string): boolean;
}

/**
 * The relay modes that test "only what we asked for" and "activity is now": `off-filter`,
 * `rebroadcast` and `future` (see `RelayMode`). Content is signed once per relay, on first need.
 * Off-filter events never enter the registry: the relay keeps their ids here, each counted once
 * (a collector charges a relay once per id, however often it re-sends one). Rebroadcast and
 * future events are published on the relay like any event, so the truth's timing rule sees them.
 */
export class FilterModes {
  private readonly sentOff = new Map<string, OffFilterReason>();
  private off: OffFilterEvent[] | undefined;
  private dated: NostrEvent[] | undefined;

  constructor(
    private readonly host: FilterModesHost,
    private readonly seed: string,
    private readonly signer: Signer = pureSigner,
  ) {}

  /** Distinct ids sent outside a subscription, by reason. */
  get offFilter(): Record<OffFilterReason, number> {
    const counts = Object.fromEntries(OFF_FILTER_REASONS.map((r) => [r, 0])) as Record<
      OffFilterReason,
      number
    >;
    for (const reason of this.sentOff.values()) counts[reason] += 1;
    return counts;
  }

  /** A subscription went live (EOSE sent). */
  subscriptionLive(conn: Conn, sub: Sub): void {
    const now = Math.floor(Date.now() / 1000);
    switch (this.host.mode) {
      case 'off-filter': {
        this.off ??= offFilterEvents(this.signer, this.seed, this.host.index, now);
        const foreign: Sub = {
          ...sub,
          id: FOREIGN_SUBSCRIPTION,
          head: `["EVENT","${FOREIGN_SUBSCRIPTION}",`,
        };
        for (const { ev, reason } of this.off) {
          const written = this.host.sendJunk(
            conn,
            reason === 'subscription' ? foreign : sub,
            JSON.stringify(ev),
          );
          if (written && !this.sentOff.has(ev.id)) this.sentOff.set(ev.id, reason);
        }
        return;
      }
      case 'rebroadcast':
        this.dated ??= datedEvents(this.signer, this.seed, 'rebroadcast', now, -3 * DAY);
        for (const ev of this.dated) this.host.storePublished(ev);
        return;
      case 'future':
        this.dated ??= datedEvents(this.signer, this.seed, 'future', now, DAY);
        for (const ev of this.dated) this.host.storePublished(ev);
        return;
      default:
    }
  }
}
