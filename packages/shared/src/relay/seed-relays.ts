import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of the bundled default relay list (the nostr.info website's public list). */
export const SEED_RELAYS_FILE = fileURLToPath(new URL('../../assets/seed-relays.txt', import.meta.url));

/** Parses a relay list: one URL per line or comma-separated; `#` starts a comment. */
export function parseRelayList(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .flatMap((line) => line.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Reads a relay list file (default: the bundled seed list). */
export function readRelayList(file: string = SEED_RELAYS_FILE): string[] {
  return parseRelayList(readFileSync(file, 'utf8'));
}
