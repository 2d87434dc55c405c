import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import { ApiError } from '../errors.js';
import type { ApiParts } from '../parts.js';
import { errorResponses, notModified } from '../routes/responses.js';
import { computedHeaders, HISTORY_TTL_SECONDS, notFound } from './history-route.js';
import { changesSchema, relayUrlParams } from './observatory-schemas.js';
import { findRelay, relayUrlOf } from './relay-lookup.js';
import { cachedBody, sendComputed } from './send-computed.js';

const MAX_CHANGES = 1000;

const route = createRoute({
  method: 'get',
  path: '/api/v1/relays/{url}/changes',
  tags: ['relays'],
  summary: "One relay's NIP-11 change log: name, software, version, supported NIPs, limitation, fees",
  description:
    'Each change of a tracked field of the relay information document, with both values and when it ' +
    'was seen. The document is fetched again after every reconnect and every `NIP11_REFRESH_SECONDS`.',
  operationId: 'get_relay_changes',
  request: {
    params: relayUrlParams,
    query: z.object({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_CHANGES)
        .default(100)
        .openapi({
          param: {
            name: 'limit',
            in: 'query',
            description: `newest changes returned (1–${MAX_CHANGES}, default 100)`,
          },
        }),
    }),
  },
  responses: {
    200: {
      description: 'the change log, newest first',
      headers: computedHeaders,
      content: { 'application/json': { schema: changesSchema } },
    },
    ...notModified,
    ...notFound,
    ...errorResponses,
  },
});

/** Registers `GET /api/v1/relays/{url}/changes`. */
export function registerChangesRoute(app: OpenAPIHono, parts: ApiParts, ctx: RoleContext<ApiEnv>): void {
  const log = ctx.logger.child({ module: 'relay-changes' });
  app.openapi(route, async (c) => {
    const url = relayUrlOf(c.req.valid('param').url);
    const { limit } = c.req.valid('query');
    const body = await cachedBody(
      { cache: ctx.cache, logger: log },
      `relay-changes:${limit}:${url}`,
      HISTORY_TTL_SECONDS,
      async () => {
        const relay = await findRelay(ctx, parts.metrics, url, 'read_relay_changes');
        try {
          const rows = await ctx.dbs.reader
            .selectFrom('relay_nip11_changes')
            .select(['at', 'field', 'old_value', 'new_value'])
            .where('relay_id', '=', relay.id)
            .orderBy('at', 'desc')
            .orderBy('id', 'desc')
            .limit(limit)
            .execute();
          return JSON.stringify({
            url,
            checked_at: relay.nip11_fetched_at ? relay.nip11_fetched_at.toISOString() : null,
            changes: rows.map((r) => ({
              at: r.at.toISOString(),
              field: r.field,
              old: r.old_value ?? null,
              new: r.new_value ?? null,
            })),
          });
        } catch (err) {
          parts.metrics.dbErrors.inc({ service: 'api', operation: 'read_relay_changes' });
          log.warn({ err }, 'reading a relay change log failed');
          throw new ApiError(503, 'unavailable', 'the database is not answering; try again shortly', {
            cause: err,
          });
        }
      },
    );
    return sendComputed(c, body, { maxAgeSeconds: HISTORY_TTL_SECONDS });
  });
}
