import { z } from '@hono/zod-openapi';
import { OUTAGE_CAUSES } from '@nostr-info/shared/relay';
import { rangeParamSchema } from '../routes/schemas.js';

/** OpenAPI components of a relay's outages (definitions: docs/methodology.md, "Outages"). */

const isoTime = z.iso.datetime({ offset: true });

export const outageSchema = z
  .object({
    started_at: isoTime.describe('when the relay stopped serving (not when the outage was confirmed)'),
    ended_at: isoTime.nullable().describe('when it served again; null while the outage goes on'),
    ongoing: z.boolean(),
    duration_seconds: z.number().nonnegative().describe('whole duration (an ongoing one: until now)'),
    cause: z.enum(OUTAGE_CAUSES).describe('cause class of the failure that kept the relay away'),
    detail: z
      .string()
      .nullable()
      .describe('errno (ECONNREFUSED, ENOTFOUND…), HTTP status or WebSocket close code behind the cause'),
  })
  .openapi('RelayOutage');

export const outagesSchema = z
  .object({
    url: z.string().describe('normalised relay URL'),
    range: rangeParamSchema,
    start: isoTime.nullable().describe("the window's inclusive start (null for `all`)"),
    generated_at: isoTime.describe('when the outages were read from the database'),
    outages: z.array(outageSchema).describe('confirmed outages overlapping the window, newest first'),
    truncated: z.boolean().describe('more outages overlap the window than the newest ones listed'),
  })
  .openapi('RelayOutages');
