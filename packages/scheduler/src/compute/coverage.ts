import type { ActivitySection, Coverage, Overview } from '@nostr-info/shared/stats';
import type { RangeWindow } from './range-window.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The rows coverage is computed from (read by `readCoverageRows`). */
export interface CoverageRows {
  /** The first hour any relay was observed, and the longest one relay was observed in it. */
  firstHour: { hour: Date; observedMs: number } | null;
  /** The same by day: health rows per hour are pruned long before the day rows. */
  firstDay: { day: Date; observedMs: number } | null;
  /** Per bucket of the window (hour or day; `24h`: the part of its first hour inside it), the longest one relay was observed. */
  buckets: { t: Date; observedMs: number }[];
  /** Lower bound of the earliest completed backfill, if any. */
  backfillSince: Date | null;
  relaysWatched: number;
}

/**
 * When collection began: the end of the first observed bucket less the longest any relay was
 * observed in it (a collector observes a relay from the moment it starts, so it was running at
 * least that long before the bucket ended). The hour is used while its rows are kept, else the day.
 */
export function collectionStart(rows: Pick<CoverageRows, 'firstHour' | 'firstDay'>): Date | null {
  const { firstHour, firstDay } = rows;
  const fromHour =
    firstHour && new Date(firstHour.hour.getTime() + HOUR_MS - Math.min(HOUR_MS, firstHour.observedMs));
  const fromDay =
    firstDay && new Date(firstDay.day.getTime() + DAY_MS - Math.min(DAY_MS, firstDay.observedMs));
  // Hour rows of the first day still kept: the hour is the finer answer. Pruned: the day's.
  if (fromHour && (!firstDay || firstHour.hour.getTime() < firstDay.day.getTime() + DAY_MS)) return fromHour;
  return fromDay;
}

/** A window's figures about its own coverage (see `coverageSchema`). */
export function coverageOf(window: RangeWindow, rows: CoverageRows): Coverage {
  const started = collectionStart(rows);
  const knownSince = earliest(started, rows.backfillSince);
  const start = window.start ?? started;
  const now = window.now.getTime();
  const step = window.granularity === 'hour' ? HOUR_MS : DAY_MS;
  let observed = 0;
  if (start) {
    for (const b of rows.buckets) {
      const from = Math.max(b.t.getTime(), start.getTime());
      const inRange = Math.max(0, Math.min(b.t.getTime() + step, now) - from);
      observed += Math.min(b.observedMs, inRange);
    }
  }
  const length = start ? now - start.getTime() : 0;
  return {
    collection_started_at: iso(started),
    observed_fraction: length > 0 ? Math.min(1, observed / length) : 0,
    relays_watched: rows.relaysWatched,
    backfill_since: iso(rows.backfillSince),
    known_since: iso(knownSince),
    new_users_status: newUsersKnown(window, started, rows.backfillSince, knownSince) ? 'ok' : 'warming_up',
  };
}

/**
 * True when first-seen dates are known for the whole range. `all` runs from collection start, so
 * only a completed backfill that reached further back makes its new users known.
 */
function newUsersKnown(
  window: RangeWindow,
  started: Date | null,
  backfillSince: Date | null,
  knownSince: Date | null,
): boolean {
  if (window.start) return knownSince !== null && window.start.getTime() >= knownSince.getTime();
  return backfillSince !== null && (started === null || backfillSince.getTime() < started.getTime());
}

/**
 * Sets the coverage block on the overview and activity sections, and nulls what cannot be known:
 * every new-user figure of a warming-up range, and the new users (every tier) of each bucket that
 * starts (its part inside the window) before `known_since`.
 */
export function applyCoverage(
  window: RangeWindow,
  coverage: Coverage,
  overview: Omit<Overview, 'coverage'>,
  activity: Omit<ActivitySection, 'coverage'>,
): { overview: Overview; activity: ActivitySection } {
  const known = coverage.new_users_status === 'ok';
  const knownSince = coverage.known_since ? Date.parse(coverage.known_since) : null;
  const windowStart = window.start?.getTime() ?? Number.NEGATIVE_INFINITY;
  const bucketKnown = (t: string) =>
    knownSince !== null && Math.max(Date.parse(t), windowStart) >= knownSince;
  return {
    overview: {
      ...overview,
      users: { ...overview.users, new: known ? overview.users.new : null },
      user_tiers: {
        ...overview.user_tiers,
        new: known ? overview.user_tiers.new : { keys: null, profiled: null, trusted: null },
      },
      coverage,
    },
    activity: {
      ...activity,
      series: activity.series.map((p) =>
        bucketKnown(p.t)
          ? p
          : {
              ...p,
              new_users: null,
              user_tiers: { ...p.user_tiers, new: { keys: null, profiled: null, trusted: null } },
            },
      ),
      coverage,
    },
  };
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

function iso(t: Date | null): string | null {
  return t ? t.toISOString() : null;
}
