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
}
