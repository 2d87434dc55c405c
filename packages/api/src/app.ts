import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '@nostr-info/shared/config';
import type { RoleContext } from '@nostr-info/shared/lifecycle';
import { STATS_RANGES } from '@nostr-info/shared/stats';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import { ApiError, errorBody } from './errors.js';
import { apiCors, apiSecureHeaders } from './http/header-policy.js';
import { requestMetrics } from './http/request-metrics.js';
import { registerObservatoryRoutes } from './observatory/observatory-routes.js';
import { type ApiParts, createApiParts } from './parts.js';
import { registerOpsRoutes } from './routes/ops-routes.js';
import { registerRelayRoute } from './routes/relay-route.js';
import { registerStatsRoutes } from './routes/stats-routes.js';
import { registerStreamRoute } from './routes/stream-route.js';
import { dashboardPagePolicy } from './web/web-policy.js';
import { registerWebRoutes } from './web/web-routes.js';

export interface CreateAppOptions {
  /** Shared parts (snapshot store, stream hub, limiter); built from `ctx` when absent. */
  parts?: ApiParts;
}

interface ZodIssueLike {
  path: PropertyKey[];
  message: string;
}

/** Turns a failed parameter validation into a 400 naming the parameter. */
function validationError(issues: readonly ZodIssueLike[]): ApiError {
  const name = String(issues[0]?.path[0] ?? 'parameter');
  if (name === 'range') {
    return new ApiError(400, 'invalid_range', `range must be one of ${STATS_RANGES.join(', ')}`);
  }
  return new ApiError(400, 'invalid_parameter', `parameter ${name}: ${issues[0]?.message ?? 'invalid'}`);
}

const jsonError = (c: Context, err: ApiError) =>
  c.json(errorBody(err.code, err.message), err.status as 400, err.headers);

/** Builds the Hono application (no server): testable with `app.request`. */
export function createApp(
  ctx: RoleContext<ApiEnv>,
  { parts = createApiParts(ctx) }: CreateAppOptions = {},
): OpenAPIHono {
  const log = ctx.logger.child({ module: 'api' });
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error.issues);
    },
  });

  app.use(async (c, next) => {
    // The server checks this before parsing too; this covers in-process requests.
    if (c.req.url.length > parts.maxUrlLength) {
      throw new ApiError(414, 'uri_too_long', `request target longer than ${parts.maxUrlLength} bytes`);
    }
    await next();
  });
  app.use(requestMetrics(parts.metrics));
  app.use(requestId());
  // Before the secure headers, so it can give the dashboard pages their own CSP after them.
  app.use(dashboardPagePolicy());
  app.use(apiSecureHeaders());
  app.use(apiCors());
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        c.json(
          errorBody('method_not_allowed', `${c.req.method} is not allowed here; use ${methods.join(', ')}`),
          405,
          {
            Allow: methods.join(', '),
          },
        ),
    }),
  );
  for (const path of ['/api/v1/stats/*', '/api/v1/relays/*', '/api/v1/stream']) app.use(path, parts.limiter);

  registerOpsRoutes(app, ctx);
  registerStatsRoutes(app, parts);
  registerRelayRoute(app, parts, ctx);
  registerObservatoryRoutes(app, parts, ctx);
  registerStreamRoute(app, parts, ctx);
  registerWebRoutes(app, { logger: log });

  app.notFound((c) =>
    c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path.slice(0, 200)}`), 404),
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) return jsonError(c, err);
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 404 ? 'not_found' : status < 500 ? 'bad_request' : 'internal';
      return c.json(errorBody(code, status < 500 ? err.message || 'bad request' : 'internal error'), status);
    }
    log.error({ err, path: c.req.path.slice(0, 200), method: c.req.method }, 'request failed');
    return c.json(errorBody('internal', 'internal error'), 500);
  });
  return app;
}
