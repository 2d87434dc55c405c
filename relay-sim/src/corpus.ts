import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { NostrEvent } from '@nostr-info/shared/nostr';
import { BOLT11_MULTIPLIERS, type Bolt11Multiplier, bolt11SatsStep, encodeBolt11 } from './bolt11.js';
import { markdown, profile, relayListUrl, words } from './corpus-content.js';
import { CorpusDeletions } from './corpus-deletions.js';
import { deriveSecretKey, Rng } from './rng.js';
import type { Signer } from './signer.js';
import type { EventTemplate } from './types.js';

/** Kinds a collector watches, with the default share of each in the stream. */
export const DEFAULT_KIND_WEIGHTS: Readonly<Record<number, number>> = {
  1: 0.42,
  7: 0.25,
  0: 0.05,
  3: 0.05,
  9735: 0.12,
  30023: 0.05,
  10002: 0.06,
};

/** Client names for NIP-89 `client` tags (as apps write them; the truth normalises). */
export const DEFAULT_CLIENTS: readonly string[] = [
  'Damus',
  'Amethyst',
  'Primal',
  'noStrudel',
  'Coracle',
  'YakiHonne',
  'snort',
];

/** Plausible zap amounts in sats (all at most 1,000,000). */
const ZAP_SATS = [1, 5, 21, 69, 100, 210, 500, 1000, 2100, 5000, 10_000, 21_000, 100_000, 500_000, 1_000_000];
/** Implausible amounts in sats (at least 100,000,000,000 = 1,000 BTC). */
const IMPLAUSIBLE_SATS = [100_000_000_000, 210_000_000_000, 5_000_000_000_000];

/** Options of `generateCorpus`. */
export interface CorpusOptions {
  size: number;
  seed: string;
  kinds?: Readonly<Record<number, number>>;
  clients?: readonly string[];
  /** Share of events (not zap receipts) that carry a `client` tag. */
  clientTagShare?: number;
  /**
   * Share of events whose created_at is hours or days old (late publication; default 0). A relay
   * that pushes such an event to a subscription that asked from "now" sends it below `since`: a
   * collector that checks its filters counts it off-filter (see the `rebroadcast` mode for late
   * events a collector asked for).
   */
  latePublishedShare?: number;
  /** Share of zap receipts with an implausible amount, and with an undecodable bolt11. */
  implausibleZapShare?: number;
  brokenBolt11Share?: number;
  authors?: number;
  /** created_at of the first corpus event (unix seconds); default now. */
  now?: number;
  /**
   * created_at advances one second per this many events (default 20). The network passes its
   * stream rate, so an event's created_at is about the moment it is streamed, as on a real relay.
   */
  eventsPerSecond?: number;
  /**
   * Domain (`host:port`) of the LNURL-pay server in the profiles' `lud16` (default
   * `zaps.sim.example`, which nothing serves: every receipt is then `unverified`).
   */
  lnurlDomain?: string;
  signer: Signer;
}

interface Author {
  secret: Uint8Array;
  pubkey: string;
  index: number;
}

/** Default `lnurlDomain`: a name nothing resolves, so a corpus alone verifies no zap. */
export const CORPUS_LNURL_DOMAIN = 'zaps.sim.example';

/** Zap providers (wallet services) of a corpus: each signs the receipts of a third of the recipients. */
const ZAP_PROVIDERS = 3;

/** The Lightning address name of author `index` of a corpus (`<name>@<lnurlDomain>`). */
export function corpusLnurlName(seed: string, index: number): string {
  const slug = seed
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 64);
  return `${slug}-u${index}`;
}

/**
 * The LNURL-pay accounts a corpus's profiles name: every author that publishes profiles (the
 * first quarter, at least two), each with the provider key that signs its zap receipts.
 */
export function corpusZapAccounts(
  seed: string,
  authors: number,
  signer: Signer,
): { name: string; nostrPubkey: string }[] {
  const providers = Array.from({ length: ZAP_PROVIDERS }, (_, i) =>
    signer.publicKey(deriveSecretKey(seed, 'zap-server', i)),
  );
  const few = Math.max(2, Math.floor(Math.max(4, authors) / 4));
  return Array.from({ length: few }, (_, i) => ({
    name: corpusLnurlName(seed, i),
    nostrPubkey: providers[i % ZAP_PROVIDERS] ?? '',
  }));
}

/**
 * Builds `size` signed, realistically shaped events: notes and reactions with e/p tags, profiles,
 * follow lists (some with the legacy relay map), relay lists with good and bad URLs, republished
 * replaceables (a few with equal timestamps), republished long-form articles, zap receipts with real
 * bolt11 invoices for every multiplier, NIP-89 client tags written in mixed case and whitespace.
 * Deterministic for a seed except the Schnorr signatures' randomness.
 */
export function generateCorpus(opts: CorpusOptions): NostrEvent[] {
  const rng = new Rng(`${opts.seed}:corpus`);
  const signer = opts.signer;
  const weights = new Map(Object.entries(opts.kinds ?? DEFAULT_KIND_WEIGHTS).map(([k, w]) => [Number(k), w]));
  const clients = opts.clients ?? DEFAULT_CLIENTS;
  const clientShare = opts.clientTagShare ?? 0.6;
  const lateShare = opts.latePublishedShare ?? 0;
  const implausibleShare = opts.implausibleZapShare ?? 0.04;
  const brokenShare = opts.brokenBolt11Share ?? 0.03;
  const authorCount = Math.max(4, opts.authors ?? 200);
  const authors: Author[] = [];
  for (let i = 0; i < authorCount; i++) {
    const secret = deriveSecretKey(opts.seed, 'author', i);
    authors.push({ secret, pubkey: signer.publicKey(secret), index: i });
  }
  const servers = Array.from({ length: ZAP_PROVIDERS }, (_, i) =>
    deriveSecretKey(opts.seed, 'zap-server', i),
  );
  const lnurlDomain = opts.lnurlDomain ?? CORPUS_LNURL_DOMAIN;
  // Replaceables and articles come from a smaller set of authors so republishing happens often.
  const fewAuthors = Math.max(2, Math.floor(authorCount / 4));
  const lastReplaceable = new Map<string, number>();
  const articles: { author: Author; d: string; last: number }[] = [];
  const start = opts.now ?? Math.floor(Date.now() / 1000);
  const perSecond = Math.max(1, opts.eventsPerSecond ?? 20);
  const out: NostrEvent[] = [];

  const author = (few = false): Author => {
    const a = authors[rng.int(few ? fewAuthors : authorCount)];
    if (!a) throw new RangeError('no author');
    return a;
  };
  const refTags = (): string[][] => {
    const tags: string[][] = [];
    const prev = out.length > 0 ? out[rng.int(out.length)] : undefined;
    if (prev && rng.chance(0.5)) tags.push(['e', prev.id, '', 'reply'], ['p', prev.pubkey]);
    return tags;
  };
  const clientTags = (): string[][] => {
    if (!rng.chance(clientShare)) return [];
    const name = rng.pick(clients);
    const roll = rng.next();
    const written = roll < 0.1 ? ` ${name} ` : roll < 0.2 ? name.toUpperCase() : name;
    const tags = [['client', written, `31990:${authors[0]?.pubkey ?? ''}:${name.toLowerCase()}`]];
    // A second client tag must not count: only the first one names the client.
    if (rng.chance(0.05)) tags.push(['client', rng.pick(clients)]);
    return tags;
  };

  /** Authors whose profile (with their Lightning address) is already in the corpus. */
  const profiled: Author[] = [];
  // NIP-09 deletions, only when the kind weights ask for them (see `CorpusDeletions`).
  const deletions = weights.has(5) ? new CorpusDeletions(signer, authors) : undefined;
  const hasProfile = new Set<number>();
  for (let i = 0; i < opts.size; i++) {
    let kind = rng.weighted(weights);
    // Zaps go to authors whose profile came first (wallets resolve the recipient's address before
    // paying); until one has, the slot holds a profile.
    if (kind === 9735 && profiled.length === 0) kind = 0;
    let created_at = start + Math.floor(i / perSecond);
    if (rng.chance(lateShare)) created_at -= 3600 + rng.int(3 * 86_400);
    let t: EventTemplate;
    let signerKey: Uint8Array;
    if (kind === 5 && deletions) {
      for (const ev of deletions.next(rng, created_at, authors.slice(0, fewAuthors))) {
        out.push(ev);
        deletions.observe(ev);
      }
      continue;
    }
    if (kind === 9735) {
      out.push(
        zapReceipt(rng, signer, authors, profiled, servers, created_at, implausibleShare, brokenShare, out),
      );
      continue;
    }
    if (kind === 0 || kind === 3 || kind === 10002) {
      const a = author(true);
      signerKey = a.secret;
      const key = `${kind}:${a.pubkey}`;
      const last = lastReplaceable.get(key);
      // Strictly newer versions, except a few equal timestamps (NIP-01: the lowest id wins).
      if (last !== undefined) created_at = rng.chance(0.03) ? last : Math.max(created_at, last + 1);
      lastReplaceable.set(key, Math.max(created_at, last ?? created_at));
      t = { kind, created_at, tags: [], content: '' };
      // Every profile names its author's Lightning address on the network's LNURL server.
      if (kind === 0) {
        if (!hasProfile.has(a.index)) {
          hasProfile.add(a.index);
          profiled.push(a);
        }
        const address = `${corpusLnurlName(opts.seed, a.index)}@${lnurlDomain}`;
        t.content = JSON.stringify({ ...(JSON.parse(profile(rng, i)) as object), lud16: address });
      } else if (kind === 3) {
        for (let k = rng.int(20); k >= 0; k--) t.tags.push(['p', author().pubkey]);
        if (rng.chance(0.5)) {
          const map: Record<string, { read: boolean; write: boolean }> = {};
          for (let k = 1 + rng.int(3); k > 0; k--)
            map[relayListUrl(rng)] = { read: true, write: rng.chance(0.7) };
          t.content = JSON.stringify(map);
        }
      } else {
        for (let k = 1 + rng.int(4); k > 0; k--) {
          const marker = rng.next();
          const tag = ['r', relayListUrl(rng)];
          if (marker < 0.3) tag.push('read');
          else if (marker < 0.5) tag.push('write');
          t.tags.push(tag);
        }
      }
    } else if (kind === 30023) {
      const existing =
        articles.length > 0 && rng.chance(0.5) ? articles[rng.int(articles.length)] : undefined;
      const art = existing ?? { author: author(true), d: `article-${i}`, last: created_at - 1 };
      if (!existing) articles.push(art);
      created_at = Math.max(created_at, art.last + 1);
      art.last = created_at;
      signerKey = art.author.secret;
      t = {
        kind,
        created_at,
        tags: [
          ['d', art.d],
          ['title', words(rng, 3, 8)],
          ['published_at', String(created_at)],
          ['t', rng.pick(['bitcoin', 'nostr', 'art'])],
        ],
        content: markdown(rng, 800 + rng.int(3000)),
      };
    } else if (kind === 7) {
      const a = author();
      signerKey = a.secret;
      t = { kind, created_at, tags: refTags(), content: rng.pick(['+', '+', '🤙', '❤️', '-']) };
    } else {
      const a = author();
      signerKey = a.secret;
      const tags = refTags();
      if (rng.chance(0.2)) tags.push(['t', rng.pick(['nostr', 'bitcoin', 'gm', 'zap'])]);
      t = { kind, created_at, tags, content: words(rng, 1, rng.chance(0.1) ? 200 : 30) };
    }
    if (kind !== 10002) t.tags.push(...clientTags());
    out.push(signer.finalize(t, signerKey));
    deletions?.observe(out[out.length - 1] as NostrEvent);
  }
  return out;
}

/**
 * An honest NIP-57 receipt: the zap request signed by the sender for the receiver (and the zapped
 * event), embedded in `description`; the invoice's amount is the request's; the receipt signed by
 * the receiver's provider (the key their Lightning address serves). Receivers are authors whose
 * profile is already in the corpus.
 */
function zapReceipt(
  rng: Rng,
  signer: Signer,
  authors: Author[],
  receivers: Author[],
  servers: Uint8Array[],
  created_at: number,
  implausibleShare: number,
  brokenShare: number,
  prior: NostrEvent[],
): NostrEvent {
  const sender = authors[rng.int(authors.length)];
  const receiver = receivers[rng.int(receivers.length)];
  if (!sender || !receiver) throw new RangeError('no author');
  const server = servers[receiver.index % servers.length];
  if (!server) throw new RangeError('no zap provider');
  const multiplier: Bolt11Multiplier = rng.pick(BOLT11_MULTIPLIERS);
  let msats: bigint | undefined;
  if (multiplier !== 'none') {
    const step = bolt11SatsStep(multiplier);
    const raw = rng.chance(implausibleShare) ? rng.pick(IMPLAUSIBLE_SATS) : rng.pick(ZAP_SATS);
    msats = BigInt(Math.max(step, Math.round(raw / step) * step)) * 1000n;
    // Invoices in n and p can carry parts of a sat (n counts in 100 msat): a third of them do.
    if ((multiplier === 'n' || multiplier === 'p') && rng.chance(1 / 3))
      msats += BigInt(100 * (1 + rng.int(9)));
  }
  const zapped = prior.length > 0 && rng.chance(0.7) ? prior[rng.int(prior.length)] : undefined;
  const reqTags: string[][] = [
    ['p', receiver.pubkey],
    ['relays', 'wss://relay1.sim.example', 'wss://relay2.sim.example'],
  ];
  if (msats !== undefined) reqTags.push(['amount', msats.toString()]);
  if (zapped) reqTags.push(['e', zapped.id]);
  const request = signer.finalize(
    { kind: 9734, created_at, tags: reqTags, content: rng.chance(0.3) ? words(rng, 1, 8) : '' },
    sender.secret,
  );
  const description = JSON.stringify(request);
  const bolt11 = rng.chance(brokenShare)
    ? `lnbc${rng.int(1000)}n1notaninvoice`
    : encodeBolt11({
        ...(msats === undefined ? {} : { msats }),
        multiplier,
        timestamp: created_at,
        paymentHash: rng.hex32(),
        descriptionHash: sha256(utf8ToBytes(description)),
        nodeSecretKey: server,
      });
  // The zap request is always embedded; 70% of receipts also name the sender in `P`.
  const roll = rng.next();
  const tags: string[][] = [['p', receiver.pubkey]];
  if (zapped) tags.push(['e', zapped.id]);
  if (roll < 0.7) tags.push(['P', sender.pubkey]);
  tags.push(['bolt11', bolt11]);
  tags.push(['description', description]);
  tags.push(['preimage', bytesToHex(sha256(utf8ToBytes(bolt11)))]);
  return signer.finalize({ kind: 9735, created_at, tags, content: '' }, server);
}
