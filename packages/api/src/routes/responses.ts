import type { RouteConfig } from '@hono/zod-openapi';
import { errorSchema } from './schemas.js';

const json = { 'application/json': { schema: errorSchema } };

/** Error responses every rate-limited stats route can give. */
export const errorResponses = {
  400: { description: 'unknown range or malformed parameter', content: json },
  429: {
    description: 'rate limited; see `Retry-After` and the `RateLimit-*` headers',
    content: json,
  },
  503: { description: 'no snapshot yet, or no backend answers', content: json },
} satisfies RouteConfig['responses'];

/** 304 for conditional requests with a matching `If-None-Match`. */
export const notModified = {
  304: { description: 'not modified (matching `If-None-Match`)' },
} satisfies RouteConfig['responses'];

/** The `RateLimit-*` headers (IETF draft) on rate-limited routes. */
export const rateLimitHeaders = {
  'RateLimit-Limit': { schema: { type: 'integer' }, description: 'requests allowed per window' },
  'RateLimit-Remaining': { schema: { type: 'integer' }, description: 'requests left in this window' },
  'RateLimit-Reset': { schema: { type: 'integer' }, description: 'seconds until the window resets' },
  'RateLimit-Policy': { schema: { type: 'string' }, description: '`limit;w=window-seconds`' },
} as const;
