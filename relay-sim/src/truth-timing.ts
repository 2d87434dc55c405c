import { OFF_FILTER_REASONS, type OffFilterReason, type Timing, timingOf } from '@nostr-info/shared/nostr';
import type { EventRegistry } from './registry.js';
import type { RelayLedger } from './relay-ledger.js';
import { bump } from './tally.js';
import type { RelayTruth, TimedTruth, TruthScope } from './truth-types.js';

/** The network-unique valid events split by when they came (see `timingOf`). */
export interface TimedEvents {
  /** In time: every network-wide figure counts them. */
  current: number[];
  /** Late or from the future: only the latest replaceable events and deletions see them. */
  untimely: number[];
  late: TimedTruth;
  future: TimedTruth;
}

/**
 * Splits `valid` (registry indexes) by the collector's timing rule, applied at the first time any
 * relay wrote a valid copy of the event (the copy a collector counts first). In scope `emitted`
 * nothing was delivered, so every event is in time.
 */
export function splitByTiming(
  registry: EventRegistry,
  ledgers: readonly RelayLedger[],
  valid: ReadonlySet<number>,
  scope: TruthScope,
): TimedEvents {
  const out: TimedEvents = {
    current: [],
    untimely: [],
    late: { total: 0, byKind: {} },
    future: { total: 0, byKind: {} },
  };
  const first = new Map<number, number>();
  if (scope === 'delivered') {
    for (const ledger of ledgers) {
      for (const [index, at] of ledger.deliveredAt ?? []) {
        if (ledger.delivered.get(index) !== 'valid' || !valid.has(index)) continue;
        const known = first.get(index);
        if (known === undefined || at < known) first.set(index, at);
      }
    }
  }
  for (const index of valid) {
    const ev = registry.events[index];
    if (!ev) continue;
    const at = first.get(index);
    const timing: Timing = at === undefined ? 'current' : timingOf(ev.created_at, at);
    if (timing === 'current') {
      out.current.push(index);
      continue;
    }
    out.untimely.push(index);
    const figure = out[timing];
    figure.total += 1;
    bump(figure.byKind, ev.kind);
  }
  return out;
}

/** Off-filter copies over all relays, by reason. */
export function sumOffFilter(relays: readonly RelayTruth[]): Record<OffFilterReason, number> {
  const sum = Object.fromEntries(OFF_FILTER_REASONS.map((r) => [r, 0])) as Record<OffFilterReason, number>;
  for (const r of relays) for (const reason of OFF_FILTER_REASONS) sum[reason] += r.offFilter[reason];
  return sum;
}
