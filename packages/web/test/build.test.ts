import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../build/manifest.js';
import { nameHash } from '../build/manifest.js';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const read = (file: string) => readFileSync(join(DIST, file));

/** URLs the bundle may name without fetching them: XML namespaces for createElementNS. */
const NAMESPACES = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xhtml']);

/** The build `pnpm build` left in dist/ (turbo builds it before these tests). */
describe('dashboard build', () => {
  const manifest = JSON.parse(read('manifest.json').toString('utf8')) as Manifest;

  it('maps every name to a file whose size, hash and compressed copies match', () => {
    expect(Object.keys(manifest.entries).sort()).toEqual(['app.css', 'app.js', 'icon.svg', 'index.html']);
    for (const name of Object.values(manifest.entries)) expect(manifest.files[name], name).toBeDefined();
    for (const [file, meta] of Object.entries(manifest.files)) {
      const bytes = read(file);
      expect(bytes.length, file).toBe(meta.bytes);
      expect(createHash('sha256').update(bytes).digest('base64url').slice(0, 32)).toBe(meta.sha256);
      expect(meta.immutable).toBe(file !== 'index.html');
      if (meta.immutable) expect(file, 'hashed name').toMatch(/^assets\/[a-z]+\.[A-Z0-9]{8}\.(js|css|svg)$/);
      if (meta.encodings.br !== undefined) {
        expect(brotliDecompressSync(read(`${file}.br`)).equals(bytes)).toBe(true);
        expect(gunzipSync(read(`${file}.gz`)).equals(bytes)).toBe(true);
      } else {
        expect(existsSync(join(DIST, `${file}.br`))).toBe(false);
      }
    }
    const icon = manifest.entries['icon.svg'] ?? '';
    expect(icon).toBe(`assets/icon.${nameHash(read(icon))}.svg`);
  });

  it('names only its own hashed files in the HTML, with no inline script or style', () => {
    const html = read('index.html').toString('utf8');
    for (const key of ['app.js', 'app.css', 'icon.svg'])
      expect(html).toContain(`"/${manifest.entries[key]}"`);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|\sstyle=|<style|\son[a-z]+=/i);
  });

  it('loads nothing from another origin: no absolute URL in any file but XML namespaces', () => {
    for (const file of Object.keys(manifest.files)) {
      const text = read(file).toString('utf8');
      // Absolute (`https://host…`) and protocol-relative (`"//host…"`, `url(//host…)`) URLs.
      const pattern = /(?:https?:|(?<=["'(]))\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s"'`)<>]*/gi;
      const urls = [...text.matchAll(pattern)].map((m) => m[0]);
      expect(
        urls.filter((u) => !NAMESPACES.has(u)),
        file,
      ).toEqual([]);
    }
  });

  it('keeps the first visit small: script, stylesheet and icon under 60 kB with brotli', () => {
    const sent = Object.values(manifest.files).reduce((sum, f) => sum + (f.encodings.br ?? f.bytes), 0);
    expect(sent).toBeLessThan(60 * 1024);
  });
});
