import type { RelayStatus } from '@nostr-info/shared/relay';
import type { StatsRange } from '@nostr-info/shared/stats';
import type { BadgeColor } from './badge-svg.js';

/** What one badge says: the grey label, the coloured value. */
export interface BadgeContent {
  label: string;
  value: string;
  color: BadgeColor;
}

const STATUS_COLORS: Record<RelayStatus, BadgeColor> = {
  online: 'brightgreen',
  unresponsive: 'orange',
  stalled: 'orange',
  auth_required: 'blue',
  payment_required: 'blue',
  offline: 'red',
  error: 'red',
  unknown: 'lightgrey',
};

/** The relay's status as the relay detail shows it. */
export function statusBadge(status: RelayStatus): BadgeContent {
  return { label: 'relay', value: status.replace('_', ' '), color: STATUS_COLORS[status] };
}

/** Uptime of the range: ≥ 99.9 % bright green, ≥ 99 % green, ≥ 95 % yellow, ≥ 90 % orange, else red. */
export function uptimeBadge(range: StatsRange, uptimePct: number | null): BadgeContent {
  const label = `uptime ${range}`;
  if (uptimePct === null) return { label, value: 'n/a', color: 'lightgrey' };
  const color: BadgeColor =
    uptimePct >= 99.9
      ? 'brightgreen'
      : uptimePct >= 99
        ? 'green'
        : uptimePct >= 95
          ? 'yellow'
          : uptimePct >= 90
            ? 'orange'
            : 'red';
  return { label, value: `${Number(uptimePct.toFixed(2))}%`, color };
}

/** REQ → EOSE latency of the range: ≤ 250 ms bright green, ≤ 500 green, ≤ 1 s yellow, ≤ 3 s orange, else red. */
export function latencyBadge(range: StatsRange, eoseMs: number | null): BadgeContent {
  const label = `latency ${range}`;
  if (eoseMs === null) return { label, value: 'n/a', color: 'lightgrey' };
  const color: BadgeColor =
    eoseMs <= 250
      ? 'brightgreen'
      : eoseMs <= 500
        ? 'green'
        : eoseMs <= 1000
          ? 'yellow'
          : eoseMs <= 3000
            ? 'orange'
            : 'red';
  const value = eoseMs < 1000 ? `${Math.round(eoseMs)} ms` : `${Number((eoseMs / 1000).toFixed(1))} s`;
  return { label, value, color };
}
