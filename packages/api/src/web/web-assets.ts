import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { z } from 'zod';
import type { EncodedBody } from '../snapshot/encode.js';

/** One file of the dashboard's build, held in memory in every encoding it was built with. */
export interface WebFile {
  /** Its path in `dist/` (`assets/app.4FOMNLEZ.js`, `index.html`). */
  readonly name: string;
  readonly type: string;
  /** Content-hashed name: may be cached for a year. */
  readonly immutable: boolean;
  /** The bytes and their validator, shaped like a snapshot body so the same negotiation applies. */
  readonly body: EncodedBody;
}

/** The dashboard's files, loaded from `@nostr-info/web`'s `dist/`. */
export interface WebAssets {
  /** The HTML document behind every page. */
  readonly shell: WebFile;
  readonly icon: WebFile;
  /** A file under `assets/` by its name there (`app.4FOMNLEZ.js`), or undefined. */
  asset(name: string): WebFile | undefined;
}

/** The build is missing or incomplete (`pnpm build` not run, or a broken deploy). */
export class WebAssetsError extends Error {
  override readonly name = 'WebAssetsError';
}

const manifestSchema = z.object({
  version: z.literal(1),
  entries: z.object({ 'index.html': z.string(), 'icon.svg': z.string() }).catchall(z.string()),
  files: z.record(
    z.string(),
    z.object({
      type: z.string(),
      bytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[\w-]{16,64}$/),
      immutable: z.boolean(),
      encodings: z.object({ br: z.number().optional(), gzip: z.number().optional() }),
    }),
  ),
});

/** Where the dashboard's build lives: beside `@nostr-info/web`'s manifest, in the workspace or a bundle. */
export function webDistDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@nostr-info/web/manifest.json'));
}

function readFile(dir: string, name: string): Buffer {
  // Names come from our own manifest; refuse anything that would leave the directory anyway.
  const path = normalize(join(dir, name));
  if (!path.startsWith(dir + sep)) throw new WebAssetsError(`manifest names a file outside ${dir}: ${name}`);
  return readFileSync(path);
}

/**
 * Reads the manifest and every file it lists (a few dozen kB, precompressed at build time) into
 * memory, checking each file's size against the manifest. Throws `WebAssetsError` when the build
 * is missing or does not match its manifest.
 */
export function loadWebAssets(dir: string = webDistDir()): WebAssets {
  let manifest: z.infer<typeof manifestSchema>;
  try {
    manifest = manifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  } catch (err) {
    throw new WebAssetsError(`no usable dashboard build in ${dir}`, { cause: err });
  }
  const files = new Map<string, WebFile>();
  for (const [name, meta] of Object.entries(manifest.files)) {
    const identity = readFile(dir, name);
    if (identity.length !== meta.bytes) {
      throw new WebAssetsError(`${name} has ${identity.length} bytes, the manifest says ${meta.bytes}`);
    }
    const compressed = meta.encodings.br !== undefined && meta.encodings.gzip !== undefined;
    const body: EncodedBody = {
      identity,
      br: compressed ? readFile(dir, `${name}.br`) : identity,
      gzip: compressed ? readFile(dir, `${name}.gz`) : identity,
      hash: meta.sha256,
    };
    files.set(name, { name, type: meta.type, immutable: meta.immutable, body });
  }
  const entry = (key: string): WebFile => {
    const name = manifest.entries[key];
    const file = name === undefined ? undefined : files.get(name);
    if (!file) throw new WebAssetsError(`the manifest's entry ${key} names no listed file`);
    return file;
  };
  const shell = entry('index.html');
  const icon = entry('icon.svg');
  return {
    shell,
    icon,
    asset(name) {
      const file = files.get(`assets/${name}`);
      return file?.immutable ? file : undefined;
    },
  };
}
