import type { NostrEvent } from '@nostr-info/shared/nostr';
import { normalizeRelayUrl } from '@nostr-info/shared/relay';
import { decode } from 'light-bolt11-decoder';
import { verifyNostrEvent } from '../src/signer.js';

/**
 * An independent, collector-style count of what test clients received: verify every copy, credit
 * each relay once per id, count network-unique valid events once. Uses light-bolt11-decoder and the
 * shared URL normaliser rather than the simulator's own helpers, so comparing it with `truth()`
 * checks the oracle from outside.
 */
export class ReferenceCounter {
  readonly perRelay = new Map<string, { valid: Map<string, number>; invalid: Set<string> }>();
  readonly unique = new Map<string, NostrEvent>();
  // Identical copies verify identically; caching by wire form keeps the test fast.
  private readonly verified = new Map<string, boolean>();

  private verify(ev: NostrEvent): boolean {
    const key = JSON.stringify(ev);
    const known = this.verified.get(key);
    if (known !== undefined) return known;
    const ok = verifyNostrEvent(ev);
    this.verified.set(key, ok);
    return ok;
  }

  add(url: string, ev: NostrEvent): void {
    let r = this.perRelay.get(url);
    if (!r) {
      r = { valid: new Map(), invalid: new Set() };
      this.perRelay.set(url, r);
    }
    if (r.valid.has(ev.id) || r.invalid.has(ev.id)) return;
    if (this.verify(ev)) {
      r.valid.set(ev.id, ev.kind);
      if (!this.unique.has(ev.id)) this.unique.set(ev.id, ev);
    } else r.invalid.add(ev.id);
  }

  relayValidByKind(url: string): Record<number, number> {
    const out: Record<number, number> = {};
    for (const kind of this.perRelay.get(url)?.valid.values() ?? []) out[kind] = (out[kind] ?? 0) + 1;
    return out;
  }

  summary(maxPlausibleSats = 100_000_000) {
    const byKind: Record<number, number> = {};
    const pubkeys = new Set<string>();
    const clients: Record<string, { events: number; users: Set<string> }> = {};
    const zap = { receipts: 0, plausible: 0, msats: 0, sats: 0, flagged: 0, noAmount: 0, invalid: 0 };
    const senders = new Set<string>();
    const receivers = new Set<string>();
    const articles = new Set<string>();
    const latest: Record<string, { id: string; created_at: number }> = {};
    const discovered = new Set<string>();
    for (const ev of this.unique.values()) {
      byKind[ev.kind] = (byKind[ev.kind] ?? 0) + 1;
      pubkeys.add(ev.pubkey);
      const client = ev.tags
        .find((t) => t[0] === 'client')?.[1]
        ?.trim()
        .toLowerCase();
      if (client) {
        clients[client] ??= { events: 0, users: new Set() };
        clients[client].events++;
        clients[client].users.add(ev.pubkey);
      }
      if (ev.kind === 9735) {
        zap.receipts++;
        const P = ev.tags.find((t) => t[0] === 'P')?.[1];
        const desc = ev.tags.find((t) => t[0] === 'description')?.[1];
        const sender = P ?? (desc ? (JSON.parse(desc) as { pubkey: string }).pubkey : undefined);
        if (sender) senders.add(sender);
        const p = ev.tags.find((t) => t[0] === 'p')?.[1];
        if (p) receivers.add(p);
        let msats: number | null | undefined;
        try {
          const inv = decode(ev.tags.find((t) => t[0] === 'bolt11')?.[1] ?? '');
          const amount = inv.sections.find((s) => s.name === 'amount');
          msats = amount && 'value' in amount ? Number(amount.value) : null;
        } catch {
          msats = undefined;
        }
        if (msats === undefined) zap.invalid++;
        else if (msats === null) zap.noAmount++;
        else if (msats > maxPlausibleSats * 1000) zap.flagged++;
        else {
          zap.plausible++;
          zap.msats += msats;
          zap.sats = Math.floor(zap.msats / 1000);
        }
      }
      if (ev.kind === 30023) articles.add(`${ev.pubkey}|${ev.tags.find((t) => t[0] === 'd')?.[1] ?? ''}`);
      if (ev.kind === 0 || ev.kind === 3 || ev.kind === 10002) {
        const key = `${ev.kind}:${ev.pubkey}`;
        const cur = latest[key];
        if (!cur || ev.created_at > cur.created_at || (ev.created_at === cur.created_at && ev.id < cur.id)) {
          latest[key] = { id: ev.id, created_at: ev.created_at };
        }
        const urls =
          ev.kind === 10002
            ? ev.tags.filter((t) => t[0] === 'r').map((t) => t[1] ?? '')
            : ev.content
              ? Object.keys(JSON.parse(ev.content) as object)
              : [];
        for (const u of urls) {
          try {
            discovered.add(normalizeRelayUrl(u, { rejectPrivate: true }));
          } catch {
            // rejected, as a collector would
          }
        }
      }
    }
    return {
      byKind,
      unique: this.unique.size,
      pubkeys: pubkeys.size,
      clients: Object.fromEntries(
        Object.entries(clients).map(([k, v]) => [k, { events: v.events, users: v.users.size }]),
      ),
      zap,
      senders: senders.size,
      receivers: receivers.size,
      articles: articles.size,
      latest,
      discovered: [...discovered].sort(),
    };
  }
}
