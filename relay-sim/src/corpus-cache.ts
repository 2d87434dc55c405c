import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { NostrEvent } from '@nostr-info/shared/nostr';
import { type CorpusOptions, generateCorpus } from './corpus.js';

/**
 * Loads a signed corpus from `dir` or generates and saves it (NDJSON, one event a line). Signing a
 * large corpus is slow, so load runs reuse the file. Cached events keep the created_at of the day
 * they were made.
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
  if (existsSync(file)) {
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
