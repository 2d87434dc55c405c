import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from '@nostr-info/shared/log';
import type { Context } from 'hono';
import { ApiError } from '../errors.js';
import { etagFor, matchesIfNoneMatch, pickCoding } from '../http/negotiate.js';
import { isUncompressed } from '../snapshot/encode.js';
import { loadWebAssets, type WebAssets, WebAssetsError, type WebFile } from './web-assets.js';

/** Hashed assets never change under their name. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** The HTML names the current hashed assets: kept briefly, then revalidated by its ETag. */
export const PAGE_CACHE = 'public, max-age=60';
const ICON_CACHE = 'public, max-age=86400';

export interface WebRoutesOptions {
  logger: Logger;
  /** The dashboard's files (default: `@nostr-info/web`'s build, read once per process). */
  assets?: () => WebAssets;
}

let defaultAssets: WebAssets | WebAssetsError | undefined;

/** The build of `@nostr-info/web`, read on first use and kept (or its error, logged once). */
function loadDefault(logger: Logger): WebAssets {
  if (defaultAssets === undefined) {
    try {
      defaultAssets = loadWebAssets();
    } catch (err) {
      defaultAssets =
        err instanceof WebAssetsError
          ? err
          : new WebAssetsError('dashboard build unreadable', { cause: err });
      logger.warn({ err: defaultAssets }, 'web dashboard not available; run pnpm build');
    }
  }
  if (defaultAssets instanceof WebAssetsError) throw defaultAssets;
  return defaultAssets;
}

/** Answers with one file: 304 on a matching validator, else the negotiated precompressed bytes. */
function sendFile(c: Context, file: WebFile, cacheControl: string): Response {
  const { body } = file;
  const coding = isUncompressed(body) ? 'identity' : pickCoding(c.req.header('accept-encoding'));
  const headers: Record<string, string> = { 'Cache-Control': cacheControl, ETag: etagFor(body, coding) };
  if (!isUncompressed(body)) headers.Vary = 'Accept-Encoding';
  if (matchesIfNoneMatch(c.req.header('if-none-match'), body)) return c.body(null, 304, headers);
  const bytes = coding === 'br' ? body.br : coding === 'gzip' ? body.gzip : body.identity;
  headers['Content-Type'] = file.type;
  headers['Content-Length'] = String(bytes.length);
  if (coding !== 'identity') headers['Content-Encoding'] = coding;
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
}

/**
 * Registers the web dashboard: the pages `/`, `/relays` and `/relays/:url` (one HTML document,
 * short-lived cache, ETag), its content-hashed files under `/assets/` (cached for a year,
 * immutable) and `/favicon.ico` (the icon, for clients that ask for it by that name). None of
 * these is under the API's rate limit, which covers only the API's own routes. Without a build
 * they answer 503 with the API's JSON error.
 */
export function registerWebRoutes(app: OpenAPIHono, { logger, assets }: WebRoutesOptions): void {
  const log = logger.child({ module: 'web' });
  const files = (): WebAssets => {
    try {
      return assets ? assets() : loadDefault(log);
    } catch (err) {
      if (!(err instanceof WebAssetsError)) throw err;
      throw new ApiError(503, 'unavailable', 'the web dashboard is not built on this server');
    }
  };
  const page = (c: Context) => sendFile(c, files().shell, PAGE_CACHE);
  app.get('/', page);
  app.get('/relays', page);
  app.get('/relays/:url', page);
  app.get('/assets/:name', (c) => {
    const file = files().asset(c.req.param('name'));
    if (!file) throw new ApiError(404, 'not_found', 'no such dashboard asset');
    return sendFile(c, file, IMMUTABLE_CACHE);
  });
  app.get('/favicon.ico', (c) => sendFile(c, files().icon, ICON_CACHE));
}
