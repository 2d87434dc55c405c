import type { EventRegistry } from './registry.js';
import { classifyRelayUrls, clientOf, relayUrlsOf, zapFacts } from './truth-derive.js';
import type { ClientTruth, GroundTruth, RelayTruth, TruthOptions, ZapTruth } from './truth-types.js';
import type { CopyState, RelayMode } from './types.js';

/** What one relay knows about what it sent, kept by the relay as it sends. */
export interface RelayLedger {
  url: string;
  mode: RelayMode;
  /** Copies accepted into history (index → state), for scope `emitted`. */
  emitted: ReadonlyMap<number, CopyState>;
  /** Copies written to a subscribed socket (index → state), for scope `delivered`. */
  delivered: ReadonlyMap<number, CopyState>;
  counters: Omit<
    RelayTruth,
    | 'url'
    | 'mode'
    | 'validByKind'
    | 'valid'
    | 'invalidByKind'
    | 'invalid'
    | 'invalidBySignature'
    | 'invalidById'
  >;
}

function bump(rec: Record<number, number>, key: number): void {
  rec[key] = (rec[key] ?? 0) + 1;
}

/** Computes the ground truth from the relays' ledgers (O(copies); call it when you compare). */
export function computeTruth(
  registry: EventRegistry,
  ledgers: readonly RelayLedger[],
  { scope = 'delivered', maxPlausibleSats = 100_000_000, minPlausibleSats = 0 }: TruthOptions = {},
): GroundTruth {
  const relays: Record<string, RelayTruth> = {};
  const validIdx = new Set<number>();
  const invalidIdx = new Set<number>();
  let floodJunk = 0;
  for (const ledger of ledgers) {
    const rt: RelayTruth = {
      url: ledger.url,
      mode: ledger.mode,
      validByKind: {},
      valid: 0,
      invalidByKind: {},
      invalid: 0,
      invalidBySignature: 0,
      invalidById: 0,
      ...ledger.counters,
    };
    const copies = scope === 'delivered' ? ledger.delivered : ledger.emitted;
    for (const [index, state] of copies) {
      const ev = registry.events[index];
      if (!ev) continue;
      if (state === 'valid' && registry.valid[index] === 1) {
        bump(rt.validByKind, ev.kind);
        rt.valid++;
        validIdx.add(index);
      } else {
        bump(rt.invalidByKind, ev.kind);
        rt.invalid++;
        if (state === 'bad-id') rt.invalidById++;
        else rt.invalidBySignature++;
        invalidIdx.add(index);
      }
    }
    if (rt.floodJunk > 0) {
      rt.invalid += rt.floodJunk;
      rt.invalidById += rt.floodJunk;
      rt.invalidByKind[1] = (rt.invalidByKind[1] ?? 0) + rt.floodJunk;
      floodJunk += rt.floodJunk;
    }
    relays[ledger.url] = rt;
  }

  const uniqueByKind: Record<number, number> = {};
  const pubkeys = new Set<string>();
  const clientEvents = new Map<string, number>();
  const clientUsers = new Map<string, Set<string>>();
  let withoutClient = 0;
  const zaps: ZapTruth = {
    receipts: 0,
    withAmount: 0,
    noAmount: 0,
    invalidBolt11: 0,
    plausible: 0,
    plausibleSats: 0,
    plausibleMsats: 0,
    flagged: 0,
    byMultiplier: {},
    senders: 0,
    receivers: 0,
  };
  const senders = new Set<string>();
  const receivers = new Set<string>();
  const articles = new Set<string>();
  let articleVersions = 0;
  const replaceable: Record<string, { id: string; created_at: number }> = {};
  const discovered = new Set<string>();
  let rejectedRelayUrls = 0;
  const maxMsats = BigInt(maxPlausibleSats) * 1000n;
  const minMsats = BigInt(minPlausibleSats) * 1000n;

  for (const index of validIdx) {
    const ev = registry.events[index];
    if (!ev) continue;
    bump(uniqueByKind, ev.kind);
    pubkeys.add(ev.pubkey);
    const client = clientOf(ev);
    if (client === undefined) withoutClient++;
    else {
      clientEvents.set(client, (clientEvents.get(client) ?? 0) + 1);
      let users = clientUsers.get(client);
      if (!users) {
        users = new Set();
        clientUsers.set(client, users);
      }
      users.add(ev.pubkey);
    }
    if (ev.kind === 9735) {
      zaps.receipts++;
      const z = zapFacts(ev);
      if (z.sender) senders.add(z.sender);
      if (z.receiver) receivers.add(z.receiver);
      if (z.msats === undefined) zaps.invalidBolt11++;
      else if (z.msats === null) zaps.noAmount++;
      else {
        zaps.withAmount++;
        const m = z.multiplier ?? 'btc';
        zaps.byMultiplier[m] = (zaps.byMultiplier[m] ?? 0) + 1;
        if (z.msats > maxMsats || z.msats < minMsats) zaps.flagged++;
        else {
          zaps.plausible++;
          zaps.plausibleMsats += Number(z.msats);
        }
      }
    } else if (ev.kind === 30023) {
      articleVersions++;
      const d = ev.tags.find((t) => t[0] === 'd')?.[1] ?? '';
      articles.add(`${ev.pubkey}:${d}`);
    } else if (ev.kind === 0 || ev.kind === 3 || ev.kind === 10002) {
      const key = `${ev.kind}:${ev.pubkey}`;
      const cur = replaceable[key];
      if (!cur || ev.created_at > cur.created_at || (ev.created_at === cur.created_at && ev.id < cur.id)) {
        replaceable[key] = { id: ev.id, created_at: ev.created_at };
      }
      const { accepted, rejected } = classifyRelayUrls(relayUrlsOf(ev));
      for (const u of accepted) discovered.add(u);
      rejectedRelayUrls += rejected;
    }
  }
  zaps.plausibleSats = Math.floor(zaps.plausibleMsats / 1000);
  zaps.senders = senders.size;
  zaps.receivers = receivers.size;
  let invalidOnly = floodJunk;
  for (const i of invalidIdx) if (!validIdx.has(i)) invalidOnly++;
  const clients: Record<string, ClientTruth> = {};
  for (const [name, events] of clientEvents)
    clients[name] = { events, users: clientUsers.get(name)?.size ?? 0 };
  const replaceableByKind: Record<number, number> = {};
  for (const key of Object.keys(replaceable)) bump(replaceableByKind, Number(key.split(':')[0]));
  return {
    scope,
    relays,
    uniqueByKind,
    unique: validIdx.size,
    invalidOnly,
    pubkeys: pubkeys.size,
    clients,
    withoutClient,
    zaps,
    articles: articles.size,
    articleVersions,
    replaceable,
    replaceableByKind,
    discoveredRelays: [...discovered].sort(),
    rejectedRelayUrls,
  };
}
