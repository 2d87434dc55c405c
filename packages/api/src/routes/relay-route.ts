import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { Relay } from '@nostr-info/shared/db';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import { currentRelayStatus, currentRelayStatusSince } from '@nostr-info/shared/relay';
import { ApiError } from '../errors.js';
import { type Monitors, monitorAgreement, monitorReportTimes } from '../observatory/monitor-agreement.js';
import { rangeQueryField, relayUrlParams } from '../observatory/observatory-schemas.js';
import { relayUrlOf } from '../observatory/relay-lookup.js';
import type { ApiParts } from '../parts.js';
import type { SnapshotEntry } from '../snapshot/snapshot-entry.js';
import { errorResponses, rateLimitHeaders } from './responses.js';
import { errorSchema, relayDetailSchema, type relayInfoSchema } from './schemas.js';
import { maxAgeSeconds } from './send-snapshot.js';

type RelayInfo = z.infer<typeof relayInfoSchema>;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The public view of a `relays` row (no raw NIP-11 document, no internal error text). A watched
 * relay no collector has reported holding for a while shows status `unknown`, changed when the
 * last report's window ran out.
 */
export function relayInfo(row: Relay, now = new Date()): RelayInfo {
  return {
    url: row.url,
    source: row.source,
    watched: row.watched,
    first_seen_at: row.first_seen_at.toISOString(),
    name: row.name,
    description: row.description,
    pubkey: row.pubkey,
    contact: row.contact,
    software: row.software,
    version: row.version,
    supported_nips: row.supported_nips,
    auth_required: row.auth_required,
    payment_required: row.payment_required,
    restricted_writes: row.restricted_writes,
    max_message_length: row.max_message_length,
    max_subscriptions: row.max_subscriptions,
    status: currentRelayStatus(row, now),
    status_changed_at: iso(currentRelayStatusSince(row, now)),
    last_connected_at: iso(row.last_connected_at),
    last_disconnected_at: iso(row.last_disconnected_at),
    last_event_at: iso(row.last_event_at),
    open_latency_ms: row.open_latency_ms,
    eose_latency_ms: row.eose_latency_ms,
    nip11_fetched_at: iso(row.nip11_fetched_at),
  };
}

const route = createRoute({
  method: 'get',
  path: '/api/v1/relays/{url}',
  tags: ['relays'],
  summary: "One relay's detail: its information document, health and figures in the range",
  operationId: 'get_relay',
  request: { params: relayUrlParams, query: z.object({ range: rangeQueryField }) },
  responses: {
    200: {
      description: 'the relay',
      headers: rateLimitHeaders,
      content: { 'application/json': { schema: relayDetailSchema } },
    },
    404: {
      description: 'no relay with this URL is known',
      content: { 'application/json': { schema: errorSchema } },
    },
    ...errorResponses,
  },
});

/** Registers `GET /api/v1/relays/{url}`: the snapshot's relay row plus the `relays` table row. */
export function registerRelayRoute(app: OpenAPIHono, parts: ApiParts, ctx: RoleContext<ApiEnv>): void {
  app.openapi(route, async (c) => {
    const { url: given } = c.req.valid('param');
    const { range } = c.req.valid('query');
    const url = relayUrlOf(given);
    let entry: SnapshotEntry | undefined;
    try {
      entry = await parts.store.get(range);
    } catch {
      entry = undefined;
    }
    let row: Relay | undefined;
    let reportTimes: Date[] = [];
    let dbFailed = false;
    const now = new Date();
    try {
      row = await ctx.dbs.reader.selectFrom('relays').selectAll().where('url', '=', url).executeTakeFirst();
      if (row) reportTimes = await monitorReportTimes(ctx.dbs.reader, url, now);
    } catch (err) {
      dbFailed = true;
      parts.metrics.dbErrors.inc({ service: 'api', operation: 'read_relay' });
      ctx.logger.warn({ err }, 'reading a relay failed');
    }
    const stats = entry?.relayRow(url) ?? null;
    if (!row && !stats) {
      if (dbFailed)
        throw new ApiError(503, 'unavailable', 'the database is not answering; try again shortly');
      throw new ApiError(404, 'not_found', `no relay ${url} is known`);
    }
    const maxAge = entry ? maxAgeSeconds(entry.computedAtMs) : 0;
    const info = row ? relayInfo(row, now) : null;
    const monitors: Monitors | null = info
      ? monitorAgreement(
          reportTimes,
          info.status,
          info.status_changed_at ? new Date(info.status_changed_at) : null,
          now,
        )
      : null;
    return c.json(
      {
        url,
        range,
        computed_at: entry?.computedAt ?? null,
        relay: info,
        stats,
        monitors,
      },
      200,
      { 'Cache-Control': `public, max-age=${Math.min(maxAge, 60)}` },
    );
  });
}
