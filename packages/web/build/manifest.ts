import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** One file of `dist/`, as the API serves it. */
export interface ManifestFile {
  /** Content-Type to send. */
  type: string;
  /** Bytes of the file itself. */
  bytes: number;
  /** First 32 base64url characters of its SHA-256: the API's strong ETag. */
  sha256: string;
  /** True for content-hashed names (served with `immutable`), false for the HTML document. */
  immutable: boolean;
  /**
   * Sizes of the precompressed siblings `<file>.br` and `<file>.gz`: both or neither (a file too
   * small to gain from compression, or one that does not shrink, is served as it is).
   */
  encodings: { br?: number; gzip?: number };
}

/**
 * `dist/manifest.json`: logical names (`app.js`, `app.css`, `icon.svg`, `index.html`) to the files
 * under `dist/`, and every file's serving facts. Written last, so a present manifest means a
 * complete build.
 */
export interface Manifest {
  version: 1;
  entries: Record<string, string>;
  files: Record<string, ManifestFile>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
};

/** Below this a compressed copy saves less than its headers cost. */
const MIN_COMPRESS_BYTES = 512;

/** Hash, type and precompressed copies (brotli 11, gzip 9: built once, served many times). */
export async function describeFile(dist: string, file: string, immutable: boolean): Promise<ManifestFile> {
  const type = TYPES[extname(file)];
  if (!type) throw new Error(`no content type for ${file}`);
  const bytes = await readFile(join(dist, file));
  const sha256 = createHash('sha256').update(bytes).digest('base64url').slice(0, 32);
  const encodings: ManifestFile['encodings'] = {};
  if (bytes.length >= MIN_COMPRESS_BYTES) {
    const [br, gz] = await Promise.all([
      brotliAsync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
      gzipAsync(bytes, { level: 9 }),
    ]);
    if (br.length < bytes.length && gz.length < bytes.length) {
      await writeFile(join(dist, `${file}.br`), br);
      await writeFile(join(dist, `${file}.gz`), gz);
      encodings.br = br.length;
      encodings.gzip = gz.length;
    }
  }
  return { type, bytes: bytes.length, sha256, immutable, encodings };
}

/** Content hash for a file name: 8 base32 characters, as esbuild's `[hash]` looks. */
export function nameHash(bytes: Buffer | string): string {
  const digest = createHash('sha256').update(bytes).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[(digest[i] ?? 0) % 32];
  return out;
}
