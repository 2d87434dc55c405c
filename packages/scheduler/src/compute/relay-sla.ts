import type { RelaySla } from '@nostr-info/shared/stats';
import { round } from './numbers.js';

/** A confirmed outage of a relay (`ended_at` null while it lasts). */
export interface OutageSpan {
  started_at: Date;
  ended_at: Date | null;
}

/**
 * A relay's service level in a range from the outages that overlap it. Durations are whole (an
 * outage that began before the range counts its full length, an ongoing one until `now`): a
 * repair time cut at the range's edge would not be one. MTBF is the serving time in the range over
 * the outage count; availability is the range's uptime, so the SLA and the uptime never disagree.
 */
export function relaySla(
  outages: readonly OutageSpan[],
  { servingMs, availabilityPct, now }: { servingMs: number; availabilityPct: number | null; now: Date },
): RelaySla {
  const durations = outages.map((o) => ((o.ended_at ?? now).getTime() - o.started_at.getTime()) / 1000);
  const ended = outages.flatMap((o, i) => (o.ended_at ? [durations[i] ?? 0] : []));
  const n = outages.length;
  return {
    availability_pct: availabilityPct,
    outages: n,
    ongoing: outages.some((o) => o.ended_at === null),
    mttr_seconds: ended.length > 0 ? round(ended.reduce((a, b) => a + b, 0) / ended.length, 1) : null,
    mtbf_seconds: n > 0 ? round(servingMs / 1000 / n, 1) : null,
    longest_outage_seconds: n > 0 ? round(Math.max(...durations), 1) : null,
  };
}
