import type { MiddlewareHandler } from 'hono';

/**
 * The dashboard pages' Content-Security-Policy: the API's (`default-src 'none'`, same-origin
 * styles and images, no framing, no base, no forms) plus same-origin scripts and same-origin
 * `fetch`/`EventSource`. No `'unsafe-inline'` for scripts or styles: the page has no inline
 * script, no `style` attribute, and draws its charts through the CSSOM and canvas.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The dashboard's HTML pages: `/`, `/relays` and `/relays/<url-encoded relay url>`. */
export function isDashboardPage(path: string): boolean {
  return path === '/' || path === '/relays' || /^\/relays\/[^/]+$/.test(path);
}

/**
 * Gives the dashboard pages their CSP. Registered before the API's secure headers, so it runs
 * after them on the way out and replaces only their CSP, only on those pages; every other field
 * of the API's security headers stays as it is, and every other response keeps the API's CSP.
 */
export function dashboardPagePolicy(): MiddlewareHandler {
  return async function dashboardPagePolicyMiddleware(c, next) {
    await next();
    if (isDashboardPage(c.req.path)) c.res.headers.set('Content-Security-Policy', DASHBOARD_CSP);
  };
}
