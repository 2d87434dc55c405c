import { describe, expect, it } from 'vitest';
import type { RelayHistory, RelayHistoryPoint } from '../lib/types.js';
import { latencyChart, uptimeChart } from './relay-health.js';

const latency = (p50: number | null) => ({ avg: p50, p50, p95: p50, count: p50 === null ? 0 : 1 });
const point = (
  t: string,
  uptime: number | null,
  open: number | null,
  eose: number | null,
): RelayHistoryPoint => ({
  t,
  uptime_pct: uptime,
  observed_ms: uptime === null ? 0 : 3_600_000,
  serving_ms: uptime === null ? 0 : uptime * 36_000,
  open_latency_ms: latency(open),
  eose_latency_ms: latency(eose),
  events: 0,
  connects: 0,
  disconnects: 0,
});

describe('relay health', () => {
  it('draws uptime and median latencies per bucket, with gaps where nothing was watched', () => {
    const history: RelayHistory = {
      url: 'wss://r.example',
      granularity: 'hour',
      totals: point('', 75, 120, 300),
      series: [point('2026-12-06T10:00:00Z', 100, 110, 280), point('2026-12-06T11:00:00Z', null, null, null)],
    };
    const uptime = uptimeChart(history, '24h');
    expect(uptime.times).toEqual(['2026-12-06T10:00:00Z', '2026-12-06T11:00:00Z']);
    expect(uptime.series.map((s) => s.values)).toEqual([[100, null]]);
    expect(uptime.description).toContain('per hour');
    const latencies = latencyChart(history, '24h');
    expect(latencies.series.map((s) => s.values)).toEqual([
      [110, null],
      [280, null],
    ]);
  });
});
