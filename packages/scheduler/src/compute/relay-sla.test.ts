import { describe, expect, it } from 'vitest';
import { relaySla } from './relay-sla.js';

const at = (s: number) => new Date(Date.UTC(2026, 11, 6) + s * 1000);

describe('relaySla', () => {
  it('derives MTTR, MTBF and the longest outage from whole durations', () => {
    const outages = [
      { started_at: at(0), ended_at: at(90) },
      { started_at: at(1000), ended_at: at(1030) },
      { started_at: at(5000), ended_at: null },
    ];
    expect(relaySla(outages, { servingMs: 3_000_000, availabilityPct: 97.5, now: at(5600) })).toEqual({
      availability_pct: 97.5,
      outages: 3,
      ongoing: true,
      mttr_seconds: 60,
      mtbf_seconds: 1000,
      longest_outage_seconds: 600,
    });
  });

  it('has no MTTR, MTBF or longest outage without outages', () => {
    expect(relaySla([], { servingMs: 86_400_000, availabilityPct: 100, now: at(0) })).toEqual({
      availability_pct: 100,
      outages: 0,
      ongoing: false,
      mttr_seconds: null,
      mtbf_seconds: null,
      longest_outage_seconds: null,
    });
  });
});
