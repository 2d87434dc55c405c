import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import type { ApiParts } from '../parts.js';
import { registerBadgeRoute } from './badge-route.js';
import { registerChangesRoute } from './changes-route.js';
import { registerHistoryRoute } from './history-route.js';
import { registerOutagesRoute } from './outages-route.js';

/** Registers the relay observatory: a relay's history, outages, NIP-11 change log and badges. */
export function registerObservatoryRoutes(app: OpenAPIHono, parts: ApiParts, ctx: RoleContext<ApiEnv>): void {
  registerHistoryRoute(app, parts, ctx);
  registerOutagesRoute(app, parts, ctx);
  registerChangesRoute(app, parts, ctx);
  registerBadgeRoute(app, parts, ctx);
}
