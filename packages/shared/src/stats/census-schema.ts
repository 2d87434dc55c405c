import { z } from 'zod';

/**
 * The `census` section's body (without `range` and `computed_at`, which `snapshot-schema.ts` adds
 * like every section's): what the relays of the range run, which NIPs they claim and show, what
 * they require, and where they run. Definitions: docs/methodology.md, "Census of the network".
 */

const count = z.number().int().nonnegative();
const pct = z.number().min(0).max(100);

/** The NIPs the collector can tell a relay supports from what it does (docs/methodology.md). */
export const OBSERVABLE_NIPS = [1, 11, 15, 42] as const;

const claimedObserved = z.object({
  claimed: count.describe('relays whose NIP-11 document says so'),
  observed: count.describe('relays the collector saw doing so'),
});

export const censusFields = {
  relays: count.describe('relays in the census: watched relays the collector observed in range'),
  software: z
    .array(
      z.object({
        software: z
          .string()
          .nullable()
          .describe(
            'NIP-11 `software`, normalised (a repository URL becomes its name, lower case); null: none given',
          ),
        relays: count,
        versions: z
          .array(
            z.object({
              version: z.string().nullable().describe('NIP-11 `version`; null: none given'),
              relays: count,
            }),
          )
          .describe('relays per version of this software, most relays first'),
      }),
    )
    .describe('relays per software, most relays first'),
  nips: z
    .array(
      z.object({
        nip: z.number().int().nonnegative(),
        claimed: count.describe('relays listing the NIP in NIP-11 `supported_nips`'),
        observed: count
          .nullable()
          .describe('relays seen using it (NIPs 1, 11, 15, 42 only; null: the collector cannot tell)'),
      }),
    )
    .describe('NIP support matrix: every NIP claimed by a relay or observable, in NIP order'),
  requirements: z
    .object({
      auth_required: claimedObserved.describe(
        'NIP-11 `limitation.auth_required`; observed: refusing to serve until authenticated now',
      ),
      payment_required: claimedObserved.describe(
        'NIP-11 `limitation.payment_required`; observed: refusing to serve until paid now',
      ),
      restricted_writes: z
        .object({ claimed: count })
        .describe('NIP-11 `limitation.restricted_writes` (the collector only reads, so it observes none)'),
      restricted: claimedObserved.describe(
        'any of the three claimed; observed: refused to serve for authentication or payment at some time in range',
      ),
    })
    .describe('what relays require of clients'),
  networks: z
    .object({ clearnet: count, tor: count.describe('`.onion` hosts'), i2p: count.describe('`.i2p` hosts') })
    .describe('relays by the network their URL host is on'),
  ip_families: z
    .object({
      ipv4_only: count,
      ipv6_only: count,
      dual_stack: count,
      unresolved: count.describe('clearnet relays with no stored address yet (never resolved)'),
    })
    .describe('clearnet relays by the address families their host resolved to at its last resolution'),
  countries: z
    .array(z.object({ country: z.string().describe('ISO 3166-1 alpha-2'), relays: count }))
    .describe('relays per country of their addresses (a relay in two countries counts in both), most first'),
  asns: z
    .array(z.object({ asn: z.number().int().nonnegative(), as_org: z.string().nullable(), relays: count }))
    .describe('relays per autonomous system of their addresses (a relay in two counts in both), most first'),
  concentration: z
    .object({
      located_by_country: count.describe('relays with at least one address placed in a country'),
      top3_countries_pct: pct
        .nullable()
        .describe(
          'share of those with an address in one of the 3 countries with the most relays; null: none located',
        ),
      located_by_asn: count.describe('relays with at least one address placed in an autonomous system'),
      top3_asns_pct: pct
        .nullable()
        .describe(
          'share of those with an address in one of the 3 ASNs with the most relays; null: none located',
        ),
    })
    .describe('how much of the network runs in a few places'),
  sources: z
    .string()
    .describe(
      'the offline IP databases the locations come from, with the attribution their licences ask for',
    ),
};
