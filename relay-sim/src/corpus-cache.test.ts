import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CORPUS_CACHE_MAX_AGE_MS,
  loadOrGenerateCorpus,
  savedLnurlPort,
  saveLnurlPort,
} from './corpus-cache.js';
import { acquireSharedLnurlServer } from './lnurl-server.js';
import { pureSigner } from './signer.js';

describe('loadOrGenerateCorpus', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reuses a young file and makes an old one again (its events would count as late)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-cache-'));
    dirs.push(dir);
    const opts = { size: 20, seed: 'cache-age', signer: pureSigner };
    const first = loadOrGenerateCorpus(dir, { ...opts, now: 1_000_000 });
    const [name] = readdirSync(dir);
    if (!name) throw new Error('no corpus file written');
    const file = join(dir, name);
    // Young: read back as written, whatever `now` the caller passes.
    expect(loadOrGenerateCorpus(dir, { ...opts, now: 2_000_000 })).toEqual(first);
    // Older than the limit: generated again for the caller's `now`.
    const old = (Date.now() - CORPUS_CACHE_MAX_AGE_MS - 60_000) / 1000;
    utimesSync(file, old, old);
    const again = loadOrGenerateCorpus(dir, { ...opts, now: 2_000_000 });
    expect(again[0]?.created_at).toBe(2_000_000);
    expect(first[0]?.created_at).toBe(1_000_000);
    expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(CORPUS_CACHE_MAX_AGE_MS);
  });

  it('keeps the LNURL port the corpora name, and a busy port falls back to a free one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-cache-'));
    dirs.push(dir);
    expect(savedLnurlPort(dir)).toBe(0);
    const first = await acquireSharedLnurlServer();
    const port = Number(first.server.domain.split(':')[1]);
    saveLnurlPort(dir, first.server.domain);
    await first.release();
    expect(savedLnurlPort(dir)).toBe(port);
    // The next process listens where the saved corpora point.
    const again = await acquireSharedLnurlServer(savedLnurlPort(dir));
    expect(again.server.domain).toBe(`127.0.0.1:${port}`);
    // Taken by something else: a free port instead of an error.
    const blocker = createServer();
    await again.release();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const moved = await acquireSharedLnurlServer(port);
      expect(moved.server.domain).not.toBe(`127.0.0.1:${port}`);
      await moved.release();
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    writeFileSync(join(dir, 'lnurl-port'), 'nonsense\n');
    expect(savedLnurlPort(dir)).toBe(0);
  });
});
