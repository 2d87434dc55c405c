import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { corsHeaders } from './cors-headers.js';

/** Hono's secure headers, as every API response carries them. */
export function apiSecureHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
    // A public read-only API: other sites may embed its responses.
    crossOriginResourcePolicy: 'cross-origin',
  });
}

/** Hono's CORS, open for GET/HEAD; exposes the validator, request-id and rate-limit fields. */
export function apiCors(): MiddlewareHandler {
  return corsHeaders({
    origin: '*',
    allowMethods: ['GET', 'HEAD', 'OPTIONS'],
    exposeHeaders: [
      'ETag',
      'X-Request-Id',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'RateLimit-Policy',
    ],
    maxAge: 86_400,
  });
}

/**
 * The fields `apiSecureHeaders` and `apiCors` add to a GET response, produced by running those
 * very middlewares once on a request of their own. With the options above they do not depend
 * on the request (`*` origin), so the fast lane can send this table instead of running them.
 */
export async function captureStaticHeaders(): Promise<readonly [string, string][]> {
  const probe = new Hono();
  probe.use(apiSecureHeaders());
  probe.use(apiCors());
  probe.get('/', (c) => c.body(null, 200));
  const res = await probe.request('/', { headers: { Origin: 'https://probe.invalid' } });
  return [...res.headers.entries()].filter(([name]) => name !== 'content-type');
}
