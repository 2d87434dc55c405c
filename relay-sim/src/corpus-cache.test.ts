import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CORPUS_CACHE_MAX_AGE_MS, loadOrGenerateCorpus } from './corpus-cache.js';
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
});
