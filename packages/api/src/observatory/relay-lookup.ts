import type { ApiEnv } from '@nostr-info/shared/config';
import type { Relay } from '@nostr-info/shared/db';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import { tryNormalizeRelayUrl } from '@nostr-info/shared/relay';
import { ApiError } from '../errors.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';

/** The normalised relay URL of a `{url}` path parameter; 400 when it is not a relay URL. */
export function relayUrlOf(given: string): string {
  const url = tryNormalizeRelayUrl(given);
  if (!url) {
    throw new ApiError(
      400,
      'invalid_parameter',
      'parameter url: expected a percent-encoded ws:// or wss:// URL',
    );
  }
  return url;
}

/** The `relays` row of `url`: 404 when no relay has it, 503 when the database does not answer. */
export async function findRelay(
  ctx: RoleContext<ApiEnv>,
  metrics: ApiMetrics,
  url: string,
  operation: string,
): Promise<Relay> {
  let row: Relay | undefined;
  try {
    row = await ctx.dbs.reader.selectFrom('relays').selectAll().where('url', '=', url).executeTakeFirst();
  } catch (err) {
    metrics.dbErrors.inc({ service: 'api', operation });
    ctx.logger.warn({ err }, 'reading a relay failed');
    throw new ApiError(503, 'unavailable', 'the database is not answering; try again shortly', {
      cause: err,
    });
  }
  if (!row) throw new ApiError(404, 'not_found', `no relay ${url} is known`);
  return row;
}
