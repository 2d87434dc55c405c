import type { EventRegistry } from './registry.js';
import type { RelayLedger } from './relay-ledger.js';
import { bump } from './tally.js';
import type { RelayTruth, TruthScope } from './truth-types.js';

/** One relay's truth, and the event indexes it sent valid and sent only broken. */
export interface RelayTally {
  truth: RelayTruth;
  valid: number[];
  invalid: number[];
}

/**
 * Counts one relay's copies in `scope`: a copy is valid when the relay sent it intact and the
 * network knows a correctly signed body for its id, else invalid (by signature or by id). `flood`
 * junk counts as invalid by id, kind 1.
 */
export function relayTruth(registry: EventRegistry, ledger: RelayLedger, scope: TruthScope): RelayTally {
  const truth: RelayTruth = {
    url: ledger.url,
    mode: ledger.mode,
    validByKind: {},
    valid: 0,
    invalidByKind: {},
    invalid: 0,
    invalidBySignature: 0,
    invalidById: 0,
    corroborated: 0,
    ...ledger.counters,
    offFilter: { subscription: 0, kind: 0, since: 0, until: 0, ...ledger.offFilter },
  };
  const valid: number[] = [];
  const invalid: number[] = [];
  for (const [index, state] of scope === 'delivered' ? ledger.delivered : ledger.emitted) {
    const ev = registry.events[index];
    if (!ev) continue;
    if (state === 'valid' && registry.valid[index] === 1) {
      bump(truth.validByKind, ev.kind);
      truth.valid++;
      valid.push(index);
    } else {
      bump(truth.invalidByKind, ev.kind);
      truth.invalid++;
      if (state === 'bad-id') truth.invalidById++;
      else truth.invalidBySignature++;
      invalid.push(index);
    }
  }
  if (truth.floodJunk > 0) {
    truth.invalid += truth.floodJunk;
    truth.invalidById += truth.floodJunk;
    truth.invalidByKind[1] = (truth.invalidByKind[1] ?? 0) + truth.floodJunk;
  }
  return { truth, valid, invalid };
}
