/** Names of the event kinds nostr-info subscribes to (NIP-01, -02, -25, -57, -23, -65). */
const KIND_NAMES: Record<string, string> = {
  '0': 'profiles',
  '1': 'notes',
  '3': 'follow lists',
  '7': 'reactions',
  '9735': 'zap receipts',
  '10002': 'relay lists',
  '30023': 'articles',
};

/** "kind 1 (notes)", or "kind 42" for a kind without a name here. */
export function kindLabel(kind: string): string {
  const name = KIND_NAMES[kind];
  return name ? `kind ${kind} (${name})` : `kind ${kind}`;
}

/** "notes", or "kind 42". */
export function kindShort(kind: string): string {
  return KIND_NAMES[kind] ?? `kind ${kind}`;
}

/** Kinds of a by-kind record, largest count first (ties by kind number). */
export function kindsBySize(byKind: Record<string, number>): string[] {
  return Object.keys(byKind).sort((a, b) => (byKind[b] ?? 0) - (byKind[a] ?? 0) || Number(a) - Number(b));
}
