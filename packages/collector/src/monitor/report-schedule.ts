import { type RelayFacts, reportable } from './report-tags.js';

/** What a relay looked like when last reported: its status, or `down` (a deletion was sent). */
type Reported = { state: string; createdAt: number };

/** What is to be sent for one relay now. */
export type Due = { facts: RelayFacts; send: 'report' | 'withdraw'; createdAt: number };

/**
 * Decides, per relay, when a report is due; pure bookkeeping, no I/O. A relay that is up gets a
 * report every interval and at once when its status changes (online ↔ auth or payment required);
 * a relay reported up that goes down gets its report withdrawn (a NIP-09 deletion) at once, so
 * readers need not wait for it to age; a relay never reported up gets nothing.
 *
 * Each relay's events are dated strictly after its previous one: a report and a deletion (or two
 * reports) in the same second would otherwise leave relays to keep either.
 */
export class ReportSchedule {
  private readonly reported = new Map<number, Reported>();

  /** The sends due for the relays this replica holds now (`full`: the interval has come round). */
  due(relays: readonly RelayFacts[], full: boolean, nowSeconds: number): Due[] {
    const out: Due[] = [];
    const held = new Set<number>();
    for (const facts of relays) {
      held.add(facts.relayId);
      const before = this.reported.get(facts.relayId);
      const state = reportable(facts.status) ? facts.status : 'down';
      let send: Due['send'] | undefined;
      if (state !== 'down' && (full || before?.state !== state)) send = 'report';
      else if (state === 'down' && before !== undefined && before.state !== 'down') send = 'withdraw';
      if (!send) continue;
      const createdAt = Math.max(nowSeconds, (before?.createdAt ?? 0) + 1);
      this.reported.set(facts.relayId, { state, createdAt });
      out.push({ facts, send, createdAt });
    }
    // A relay another replica holds now is reported by it; forget it here.
    for (const id of this.reported.keys()) if (!held.has(id)) this.reported.delete(id);
    return out;
  }
}
