import { z } from '@hono/zod-openapi';
import type { Database } from '@nostr-info/shared/db';
import type { RelayStatus } from '@nostr-info/shared/relay';
import type { Kysely } from 'kysely';

/** How far back another monitor's report of a relay counts as current. */
export const MONITOR_WINDOW_HOURS = 24;

/** Statuses in which the relay is up, as a NIP-66 report (which monitors publish for reachable relays) says. */
const UP: ReadonlySet<RelayStatus> = new Set(['online', 'auth_required', 'payment_required']);
const DOWN: ReadonlySet<RelayStatus> = new Set(['offline', 'stalled', 'unresponsive']);

export const monitorsSchema = z
  .object({
    window_hours: z.number().int().describe('how far back a report counts'),
    reporting: z
      .number()
      .int()
      .nonnegative()
      .describe('other NIP-66 monitors whose latest kind 30166 report of the relay is in the window'),
    agree: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .describe(
        'of those, how many agree with the status here: all when the relay is up; when it is down, ' +
          'those whose report is older than its going down; null while the status is unknown',
      ),
  })
  .openapi('RelayMonitors');

export type Monitors = z.infer<typeof monitorsSchema>;

/**
 * Other monitors' view of a relay against ours. A kind 30166 report says the monitor reached the
 * relay at its created_at. Up here: every recent report agrees. Down here since `since`: a report
 * from before then agrees (the monitor last saw it up, as we did), one after disagrees.
 */
export function monitorAgreement(
  reportedAt: readonly Date[],
  status: RelayStatus,
  since: Date | null,
  now: Date,
): Monitors {
  const from = now.getTime() - MONITOR_WINDOW_HOURS * 3_600_000;
  const recent = reportedAt.filter((at) => at.getTime() >= from);
  let agree: number | null = null;
  if (UP.has(status)) agree = recent.length;
  else if (DOWN.has(status))
    agree = since === null ? 0 : recent.filter((at) => at.getTime() < since.getTime()).length;
  return { window_hours: MONITOR_WINDOW_HOURS, reporting: recent.length, agree };
}

/** When each other monitor last reported the relay, within the window. */
export async function monitorReportTimes(db: Kysely<Database>, url: string, now: Date): Promise<Date[]> {
  const rows = await db
    .selectFrom('monitor_reports')
    .select('reported_at')
    .where('relay_url', '=', url)
    .where('reported_at', '>=', new Date(now.getTime() - MONITOR_WINDOW_HOURS * 3_600_000))
    .execute();
  return rows.map((r) => r.reported_at);
}
