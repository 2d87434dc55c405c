import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWebAssets, WebAssetsError, webDistDir } from './web-assets.js';

describe('loadWebAssets', () => {
  const dirs: string[] = [];
  const copy = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'nostr-info-web-dist-'));
    dirs.push(dir);
    cpSync(webDistDir(), dir, { recursive: true });
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the build of @nostr-info/web: the document, the icon and every hashed asset', () => {
    const assets = loadWebAssets();
    expect(assets.shell.type).toBe('text/html; charset=utf-8');
    expect(assets.shell.immutable).toBe(false);
    const html = assets.shell.body.identity.toString('utf8');
    const names = [...html.matchAll(/"\/assets\/([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const name of names) {
      const file = assets.asset(name);
      expect(file?.immutable, name).toBe(true);
      expect(file?.body.identity.equals(readFileSync(join(webDistDir(), 'assets', name)))).toBe(true);
    }
    expect(assets.icon.type).toBe('image/svg+xml');
    // Only hashed files are assets: the document is not served under /assets/.
    expect(assets.asset('../index.html')).toBeUndefined();
  });

  it('refuses a missing build, a file that does not match its manifest, and a name outside the build', () => {
    expect(() => loadWebAssets(join(tmpdir(), 'no-such-nostr-info-build'))).toThrow(WebAssetsError);

    const truncated = copy();
    writeFileSync(join(truncated, 'index.html'), '<!doctype html>');
    expect(() => loadWebAssets(truncated)).toThrow(/index\.html has 15 bytes/);

    const escaping = copy();
    const manifest = JSON.parse(readFileSync(join(escaping, 'manifest.json'), 'utf8')) as {
      files: Record<string, unknown>;
    };
    manifest.files['../outside.txt'] = {
      type: 'text/plain',
      bytes: 1,
      sha256: 'abcdefghijklmnopqrstuvwxyz012345',
      immutable: true,
      encodings: {},
    };
    writeFileSync(join(escaping, 'manifest.json'), JSON.stringify(manifest));
    expect(() => loadWebAssets(escaping)).toThrow(/outside/);
  });
});
