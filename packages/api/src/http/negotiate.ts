import type { Context } from 'hono';
import { type EncodedBody, isUncompressed } from '../snapshot/encode.js';

export type Coding = 'br' | 'gzip' | 'identity';

/**
 * Picks the content coding from Accept-Encoding (RFC 9110 §12.5.3): brotli, then gzip, when the
 * client accepts them with a non-zero q; identity otherwise.
 */
export function pickCoding(acceptEncoding: string | undefined): Coding {
  if (!acceptEncoding) return 'identity';
  let br: boolean | undefined;
  let gz: boolean | undefined;
  let star = false;
  for (const part of acceptEncoding.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const [k, v] = param.split('=');
      if (k?.trim().toLowerCase() === 'q') q = Number(v);
    }
    const accepted = Number.isFinite(q) && q > 0;
    if (name === 'br') br = accepted;
    else if (name === 'gzip' || name === 'x-gzip') gz = accepted;
    else if (name === '*') star = accepted;
  }
  // A coding not named is covered by `*` when present.
  if (br ?? star) return 'br';
  if (gz ?? star) return 'gzip';
  return 'identity';
}

/** Strong ETag of one representation: the encodings of one body are different representations. */
export function etagFor(body: EncodedBody, coding: Coding): string {
  return coding === 'identity' || isUncompressed(body) ? `"${body.hash}"` : `"${body.hash}-${coding}"`;
}

/**
 * If-None-Match uses the weak comparison (RFC 9110 §13.1.2), so any representation of the same
 * bytes matches; `*` matches anything.
 */
export function matchesIfNoneMatch(header: string | undefined, body: EncodedBody): boolean {
  if (!header) return false;
  for (const raw of header.split(',')) {
    const tag = raw.trim().replace(/^W\//, '');
    if (tag === '*') return true;
    const inner = tag.replace(/^"|"$/g, '');
    if (inner === body.hash || inner === `${body.hash}-br` || inner === `${body.hash}-gzip`) return true;
  }
  return false;
}

export interface SendOptions {
  acceptEncoding: string | undefined;
  ifNoneMatch: string | undefined;
  /** Extra headers (Cache-Control, rate-limit headers are already on the context). */
  headers: Record<string, string>;
  /** Media type of the body (default JSON). */
  contentType?: string;
}

/** Answers with precomputed bytes: 304 on a matching validator, else the negotiated encoding. */
export function sendEncoded(
  c: Context,
  body: EncodedBody,
  { acceptEncoding, ifNoneMatch, headers, contentType = 'application/json; charset=utf-8' }: SendOptions,
): Response {
  const coding = isUncompressed(body) ? 'identity' : pickCoding(acceptEncoding);
  const etag = etagFor(body, coding);
  const common: Record<string, string> = { ...headers, ETag: etag, Vary: 'Accept-Encoding' };
  // c.body keeps headers set earlier (X-Request-Id) and node-server's fast path for bytes.
  if (matchesIfNoneMatch(ifNoneMatch, body)) return c.body(null, 304, common);
  const bytes = coding === 'br' ? body.br : coding === 'gzip' ? body.gzip : body.identity;
  common['Content-Type'] = contentType;
  common['Content-Length'] = String(bytes.length);
  if (coding !== 'identity') common['Content-Encoding'] = coding;
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, common);
}
