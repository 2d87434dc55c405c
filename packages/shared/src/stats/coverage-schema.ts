import { z } from 'zod';

/**
 * How much of a range the deployment observed, and whether its new-user figures can be known
 * (docs/methodology.md, "Coverage"). A new user is a key first seen in the range: before
 * collection began (or a completed backfill reached back), "first seen" only means "first seen
 * by us", so those figures are null with the reason `warming_up`, never a guess.
 */

const isoTime = z.iso.datetime({ offset: true });

/** Why a range's new-user figures are given, or null. */
export const NEW_USERS_STATUSES = ['ok', 'warming_up'] as const;
export type NewUsersStatus = (typeof NEW_USERS_STATUSES)[number];

export const coverageSchema = z
  .object({
    collection_started_at: isoTime
      .nullable()
      .describe(
        'when collection began: the end of the first hour any relay was observed, less that time; null before',
      ),
    observed_fraction: z
      .number()
      .min(0)
      .max(1)
      .describe(
        'share of the range (from its start, or collection start for all, to computed_at) in which a relay was observed',
      ),
    relays_watched: z.number().int().nonnegative().describe('relays the collectors watch now'),
    backfill_since: isoTime
      .nullable()
      .describe(
        'earliest lower bound of a completed history backfill (nostr-info backfill); null when none completed',
      ),
    known_since: isoTime
      .nullable()
      .describe(
        'first-seen dates are known from here on: the earlier of collection start and backfill_since',
      ),
    new_users_status: z
      .enum(NEW_USERS_STATUSES)
      .describe(
        'warming_up: the range starts before known_since, so every new-user figure of it is null; ok otherwise',
      ),
  })
  .describe('how much of the range was observed, and whether new users can be counted');

export type Coverage = z.infer<typeof coverageSchema>;
