import type { OffFilterReason } from '@nostr-info/shared/nostr';
import type { RelayTruth } from './truth-types.js';
import type { CopyState, RelayMode } from './types.js';

/** The counters a relay keeps as it sends, reported as they are in its `RelayTruth`. */
export type RelayCounters = Omit<
  RelayTruth,
  | 'url'
  | 'mode'
  | 'validByKind'
  | 'valid'
  | 'invalidByKind'
  | 'invalid'
  | 'invalidBySignature'
  | 'invalidById'
  | 'corroborated'
  | 'offFilter'
>;

/** What one relay knows about what it sent, kept by the relay as it sends. */
export interface RelayLedger {
  readonly url: string;
  readonly mode: RelayMode;
  /** Copies accepted into history (index → state), for scope `emitted`. */
  readonly emitted: ReadonlyMap<number, CopyState>;
  /** Copies written to a subscribed socket (index → state), for scope `delivered`. */
  readonly delivered: ReadonlyMap<number, CopyState>;
  readonly counters: Readonly<RelayCounters>;
  /** When each delivered index was first written (ms), for the timing rule (late, future). */
  readonly deliveredAt?: ReadonlyMap<number, number>;
  /** Distinct ids sent outside the subscription that carried them, by reason. */
  readonly offFilter?: Readonly<Record<OffFilterReason, number>>;
}
