import { byText } from './relay-rows.js';

/**
 * A NIP-11 `software` value as the census groups it: trimmed and lower-cased, and a repository
 * URL (`git+https://github.com/hoytech/strfry.git`, `https://github.com/scsibug/nostr-rs-relay`)
 * reduced to the repository's name, so one program is one row whichever way its relays name it.
 * Null for none (absent or blank).
 */
export function normaliseSoftware(software: string | null): string | null {
  const text = software?.trim().toLowerCase() ?? '';
  if (text === '') return null;
  if (!/^[a-z+]+:\/\/|^git@/.test(text)) return text;
  const path = text.replace(/^git@[^:]+:/, '/').replace(/^[a-z+]+:\/\/[^/]*/, '');
  const name = path
    .split(/[/?#]/)
    .filter(Boolean)
    .at(-1)
    ?.replace(/\.git$/, '');
  return name && name !== '' ? name : text;
}

/** A NIP-11 `version` as the census groups it: trimmed; null for none. */
export function normaliseVersion(version: string | null): string | null {
  const text = version?.trim() ?? '';
  return text === '' ? null : text;
}

/** Rows of `{ key, relays }` from counts, most relays first, then by key (null last). */
export function ranked<K extends string | number | null>(
  counts: ReadonlyMap<K, number>,
): { key: K; relays: number }[] {
  return [...counts]
    .map(([key, relays]) => ({ key, relays }))
    .sort(
      (a, b) =>
        b.relays - a.relays ||
        (a.key === null
          ? 1
          : b.key === null
            ? -1
            : typeof a.key === 'number' && typeof b.key === 'number'
              ? a.key - b.key
              : byText(String(a.key), String(b.key))),
    );
}

/** Relays per normalised software, and per version within each. */
export function softwareRows(relays: readonly { software: string | null; version: string | null }[]) {
  const bySoftware = new Map<string | null, Map<string | null, number>>();
  for (const r of relays) {
    const software = normaliseSoftware(r.software);
    const versions = bySoftware.get(software) ?? new Map<string | null, number>();
    const version = normaliseVersion(r.version);
    versions.set(version, (versions.get(version) ?? 0) + 1);
    bySoftware.set(software, versions);
  }
  const totals = new Map([...bySoftware].map(([s, v]) => [s, [...v.values()].reduce((a, b) => a + b, 0)]));
  return ranked(totals).map(({ key, relays }) => ({
    software: key,
    relays,
    versions: ranked(bySoftware.get(key) ?? new Map()).map((v) => ({ version: v.key, relays: v.relays })),
  }));
}
