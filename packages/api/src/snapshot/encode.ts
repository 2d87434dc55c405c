import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** One response body in every encoding the API offers, with its validator. */
export interface EncodedBody {
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Hash of the identity bytes; each encoding's strong ETag is derived from it. */
  hash: string;
}

/** Below this size compression costs more than it saves; the identity bytes are reused. */
const MIN_COMPRESS_BYTES = 512;

/**
 * Compresses a JSON body once (run when a snapshot changes, never per request). Brotli quality 6
 * keeps a multi-megabyte `full/all` body well under a second of CPU, off the event loop.
 */
export async function encodeBody(json: string): Promise<EncodedBody> {
  const identity = Buffer.from(json, 'utf8');
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 32);
  if (identity.length < MIN_COMPRESS_BYTES) return { identity, gzip: identity, br: identity, hash };
  const [gz, br] = await Promise.all([
    gzipAsync(identity, { level: 6 }),
    brotliAsync(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 6,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
  ]);
  return { identity, gzip: gz, br, hash };
}

/** True when `encodeBody` kept the body uncompressed (small bodies). */
export function isUncompressed(body: EncodedBody): boolean {
  return body.gzip === body.identity;
}
