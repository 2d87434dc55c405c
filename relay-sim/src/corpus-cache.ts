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

/**
 * The LNURL server port the corpora saved in `dir` name (0 when none is recorded). Profiles name
 * the server's address, so a network that listens there again reuses them instead of signing anew.
 */
export function savedLnurlPort(dir: string): number {
  const file = join(dir, 'lnurl-port');
  const port = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
  return Number.isInteger(port) && port > 0 && port < 65_536 ? port : 0;
}

/** Records the LNURL server port (of its `host:port` domain) for the next `savedLnurlPort(dir)`. */
export function saveLnurlPort(dir: string, domain: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lnurl-port'), `${domain.slice(domain.lastIndexOf(':') + 1)}\n`);
}
