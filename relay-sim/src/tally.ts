import type { NostrEvent } from '@nostr-info/shared/nostr';

/** Counts one more under `key`. */
export function bump(rec: Record<number, number>, key: number): void {
  rec[key] = (rec[key] ?? 0) + 1;
}

/** One network-wide figure of the truth, fed every network-unique valid event once. */
export interface EventTally<Result> {
  add(ev: NostrEvent): void;
  result(): Result;
}
