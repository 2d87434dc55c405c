import type { RelayHistoryOutcome } from './relay-history.js';

/** Running totals of a run, reported after every page. */
export interface BackfillProgress {
  relayUrl: string;
  relays: number;
  relaysFinished: number;
  pages: number;
  events: number;
  rejected: number;
  keysInserted: number;
  keysMoved: number;
  /** Where the relay's reading stands (unix seconds), null before its first page. */
  reachedAt: number | null;
}

/** How a run ended: per relay, and whether it completed (every relay read down to `since`). */
export interface BackfillResult {
  since: number;
  relays: (RelayHistoryOutcome & { skipped: boolean })[];
  complete: boolean;
  progress: BackfillProgress;
}
