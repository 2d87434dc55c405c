import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { LATE_AFTER_SECONDS, type NostrEvent } from '@nostr-info/shared/nostr';
import { type CorpusOptions, generateCorpus } from './corpus.js';

/**
 * How long a saved corpus is reused. Its events keep the created_at of when it was made, and a
 * collector counts an event first seen more than `LATE_AFTER_SECONDS` after its created_at as late,
 * not as activity: a run must be over before its corpus gets that old.
 */
export const CORPUS_CACHE_MAX_AGE_MS = (LATE_AFTER_SECONDS / 2) * 1000;

/**
 * Loads a signed corpus from `dir` or generates and saves it (NDJSON, one event a line). Signing a
 * large corpus is slow, so load runs reuse the file while it is younger than
 * `CORPUS_CACHE_MAX_AGE_MS`; an older one is made again.
 */
export function loadOrGenerateCorpus(dir: string, opts: CorpusOptions): NostrEvent[] {
  // Anything that shapes the content is part of the name, so a changed option never reuses a file.
  const shape = JSON.stringify([
    opts.kinds,
    opts.clients,
    opts.clientTagShare,
    opts.authors,
    // The share in effect (its default changed), so a file made with another is never reused.
    opts.latePublishedShare ?? 0,
    // Profiles name the LNURL server's address (its port), so a corpus made for another is stale.
    opts.lnurlDomain,
  ]);
  const tag = bytesToHex(sha256(utf8ToBytes(shape))).slice(0, 8);
  const file = join(dir, `corpus-${opts.seed.replace(/[^\w-]/g, '_')}-${opts.size}-${tag}.ndjson`);
  if (existsSync(file) && Date.now() - statSync(file).mtimeMs < CORPUS_CACHE_MAX_AGE_MS) {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as NostrEvent);
  }
  const corpus = generateCorpus(opts);
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${corpus.map((e) => JSON.stringify(e)).join('\n')}\n`);
  renameSync(tmp, file);
  return corpus;
}
