import type { NostrEvent } from '@nostr-info/shared/nostr';
import type { ZapRejectReason } from '@nostr-info/shared/stats';
import { encodeBolt11 } from './bolt11.js';
import type { LnurlServer } from './lnurl-server.js';
import { deriveSecretKey } from './rng.js';
import { pureSigner, type Signer } from './signer.js';
import { type BuildZapOptions, buildZap, lightningProfile } from './zap-builder.js';

/**
 * Zap scenarios published into a simulated network, honest and hostile:
 * - `honest`: NIP-57 zaps of every invoice multiplier, parts of a sat included;
 * - `forged`: receipts signed by a stranger, without a zap request, with a request whose
 *   signature or JSON is broken;
 * - `testnet`: correctly signed receipts over `lntb`, `lntbs` and `lnbcrt` invoices;
 * - `replayed`: one paid invoice republished by the provider under new event ids;
 * - `amount-mismatch`: an invoice for another amount than the request asked (and one request
 *   without an amount, which is fine);
 * - `recipient-mismatch`: a request for another `p`, another `e`, or an `e` the receipt lacks;
 * - `provider-down`: recipients whose LNURL endpoint answers 503 or does not know them;
 * - `no-profile`: a recipient who never published a profile;
 * - `anonymous`: `anon` zaps from throwaway keys (one sender) beside a named one;
 * - `implausible`: over 1 BTC, an undecodable invoice, an invoice without an amount.
 */
export type ZapMode =
  | 'honest'
  | 'forged'
  | 'testnet'
  | 'replayed'
  | 'amount-mismatch'
  | 'recipient-mismatch'
  | 'provider-down'
  | 'no-profile'
  | 'anonymous'
  | 'implausible';

/** Every zap mode, for iteration in tests. */
export const ZAP_MODES: readonly ZapMode[] = [
  'honest',
  'forged',
  'testnet',
  'replayed',
  'amount-mismatch',
  'recipient-mismatch',
  'provider-down',
  'no-profile',
  'anonymous',
  'implausible',
];

/** What a scenario must give, worked out by hand from how it is built. */
export interface ZapExpectation {
  accepted: number;
  acceptedMsats: number;
  senders: number;
  receivers: number;
  /** Reasons not listed are 0. */
  rejected: Partial<Record<ZapRejectReason, number>>;
  unverified: { count: number; msats: number };
}

/** The events of a scenario in publish order (profiles first) and what they must count as. */
export interface ZapScenario {
  mode: ZapMode;
  events: NostrEvent[];
  expected: ZapExpectation;
}

/** Options of `buildZapScenario`. */
export interface ZapScenarioOptions {
  /** Where recipients' Lightning addresses live (the network's LNURL server). */
  lnurl: Pick<LnurlServer, 'set' | 'address'>;
  seed?: string;
  /** created_at of the events (unix seconds; default now). */
  now?: number;
  signer?: Signer;
}

const none = (): ZapExpectation => ({
  accepted: 0,
  acceptedMsats: 0,
  senders: 0,
  receivers: 0,
  rejected: {},
  unverified: { count: 0, msats: 0 },
});

/**
 * Builds one zap scenario: recipients with profiles naming accounts on `lnurl` (registered here,
 * each with its own provider key), zap requests signed by their senders, receipts signed as the
 * mode says. Keys come from `seed` and the mode, so scenarios never share a recipient or payment.
 */
export function buildZapScenario(
  mode: ZapMode,
  { lnurl, seed = 'zap-modes', now = Math.floor(Date.now() / 1000), signer = pureSigner }: ZapScenarioOptions,
): ZapScenario {
  const key = (label: string, i = 0) => deriveSecretKey(`${seed}:${mode}`, label, i);
  const pub = (k: Uint8Array) => signer.publicKey(k);
  const events: NostrEvent[] = [];
  const recipient = (i: number, account: 'up' | 'down' | 'unknown' | 'none' = 'up') => {
    const secret = key('recipient', i);
    const provider = key('provider', i);
    const name = `${mode}-${seed.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-r${i}`;
    if (account === 'up') lnurl.set(name, { nostrPubkey: pub(provider) });
    if (account === 'down') lnurl.set(name, { nostrPubkey: pub(provider), down: true });
    if (account !== 'none')
      events.push(lightningProfile(secret, { lud16: lnurl.address(name) }, now, signer));
    return { pubkey: pub(secret), provider };
  };
  const zap = (o: Omit<BuildZapOptions, 'createdAt' | 'signer'> & { createdAt?: number }) => {
    const built = buildZap({ createdAt: now, signer, ...o });
    events.push(built.receipt);
    return built;
  };
  const expected = none();

  switch (mode) {
    case 'honest': {
      const [a, b] = [recipient(0), recipient(1)];
      const note = signer.finalize({ kind: 1, created_at: now, tags: [], content: 'zap me' }, key('author'));
      events.push(note);
      zap({
        sender: key('sender', 0),
        receiver: a.pubkey,
        provider: a.provider,
        msats: 200_000_000n,
        multiplier: 'm',
      });
      zap({
        sender: key('sender', 1),
        receiver: a.pubkey,
        provider: a.provider,
        msats: 2_100_000n,
        multiplier: 'u',
      });
      zap({
        sender: key('sender', 0),
        receiver: b.pubkey,
        provider: b.provider,
        msats: 21_600n,
        multiplier: 'n',
        eventId: note.id,
      });
      zap({
        sender: key('sender', 1),
        receiver: b.pubkey,
        provider: b.provider,
        msats: 1_500n,
        multiplier: 'p',
      });
      Object.assign(expected, { accepted: 4, acceptedMsats: 202_123_100, senders: 2, receivers: 2 });
      break;
    }
    case 'forged': {
      const a = recipient(0);
      // A valid request, a receipt signed by a stranger rather than the recipient's provider.
      zap({
        sender: key('sender'),
        receiver: a.pubkey,
        provider: key('stranger'),
        msats: 1_000_000_000n,
        multiplier: 'm',
      });
      // No zap request at all: a made-up 1,000,000-sat invoice.
      const bolt11 = encodeBolt11({
        msats: 1_000_000_000n,
        multiplier: 'm',
        paymentHash: '11'.repeat(32),
        nodeSecretKey: key('stranger'),
        timestamp: now,
      });
      events.push(
        signer.finalize(
          {
            kind: 9735,
            created_at: now,
            tags: [
              ['p', a.pubkey],
              ['bolt11', bolt11],
            ],
            content: '',
          },
          key('stranger'),
        ),
      );
      // A request whose signature is not its own, and a description that is not JSON.
      const good = zap({ sender: key('sender'), receiver: a.pubkey, provider: a.provider, msats: 21_000n });
      events.pop();
      const forgedRequest = {
        ...good.request,
        sig: good.request.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      };
      const withTags = (description: string) =>
        signer.finalize(
          {
            kind: 9735,
            created_at: now,
            tags: [
              ['p', a.pubkey],
              ['bolt11', good.bolt11],
              ['description', description],
            ],
            content: '',
          },
          a.provider,
        );
      events.push(withTags(JSON.stringify(forgedRequest)), withTags('{not json'));
      expected.rejected = { zapper_mismatch: 1, no_request: 1, bad_request: 2 };
      break;
    }
    case 'testnet': {
      const a = recipient(0);
      for (const network of ['tb', 'tbs', 'bcrt'])
        zap({ sender: key('sender'), receiver: a.pubkey, provider: a.provider, msats: 21_000n, network });
      expected.rejected = { not_mainnet: 3 };
      break;
    }
    case 'replayed': {
      const a = recipient(0);
      const paid = zap({
        sender: key('sender'),
        receiver: a.pubkey,
        provider: a.provider,
        msats: 5_000_000n,
      });
      for (let i = 1; i <= 2; i++)
        zap({
          sender: key('sender'),
          receiver: a.pubkey,
          provider: a.provider,
          msats: 5_000_000n,
          paymentHash: paid.paymentHash,
          extraTags: [['alt', `republished ${i}`]],
        });
      Object.assign(expected, { accepted: 1, acceptedMsats: 5_000_000, senders: 1, receivers: 1 });
      expected.rejected = { duplicate_payment: 2 };
      break;
    }
    case 'amount-mismatch': {
      const a = recipient(0);
      zap({
        sender: key('sender'),
        receiver: a.pubkey,
        provider: a.provider,
        msats: 2_100_000n,
        requestAmount: 21_000n,
      });
      zap({
        sender: key('sender'),
        receiver: a.pubkey,
        provider: a.provider,
        msats: 21_000n,
        requestAmount: null,
      });
      Object.assign(expected, { accepted: 1, acceptedMsats: 21_000, senders: 1, receivers: 1 });
      expected.rejected = { amount_mismatch: 1 };
      break;
    }
    case 'recipient-mismatch': {
      const [a, b] = [recipient(0), recipient(1)];
      const s = key('sender');
      zap({ sender: s, receiver: b.pubkey, provider: b.provider, msats: 21_000n, requestReceiver: a.pubkey });
      const [x, y] = ['aa', 'bb'].map((c) => c.repeat(32));
      const other = zap({ sender: s, receiver: a.pubkey, provider: a.provider, msats: 21_000n, eventId: x });
      events.pop();
      // The same request (for event x), in a receipt that names event y, then in one naming none.
      const receipt = (tags: string[][]) =>
        signer.finalize({ kind: 9735, created_at: now, tags, content: '' }, a.provider);
      const base = [
        ['bolt11', other.bolt11],
        ['description', JSON.stringify(other.request)],
      ];
      events.push(
        receipt([['p', a.pubkey], ['e', y as string], ...base]),
        receipt([['p', a.pubkey], ...base]),
      );
      expected.rejected = { recipient_mismatch: 3 };
      break;
    }
    case 'provider-down': {
      const [down, unknown] = [recipient(0, 'down'), recipient(1, 'unknown')];
      zap({ sender: key('sender'), receiver: down.pubkey, provider: down.provider, msats: 21_000n });
      zap({ sender: key('sender'), receiver: down.pubkey, provider: down.provider, msats: 1_000_000n });
      zap({
        sender: key('sender'),
        receiver: unknown.pubkey,
        provider: unknown.provider,
        msats: 500n,
        multiplier: 'p',
      });
      expected.rejected = { unverified: 3 };
      expected.unverified = { count: 3, msats: 1_021_500 };
      break;
    }
    case 'no-profile': {
      const a = recipient(0, 'none');
      zap({ sender: key('sender'), receiver: a.pubkey, provider: a.provider, msats: 42_000n });
      expected.rejected = { unverified: 1 };
      expected.unverified = { count: 1, msats: 42_000 };
      break;
    }
    case 'anonymous': {
      const a = recipient(0);
      for (let i = 0; i < 3; i++)
        zap({
          sender: key('throwaway', i),
          receiver: a.pubkey,
          provider: a.provider,
          msats: 10_000n,
          anon: true,
        });
      zap({ sender: key('sender'), receiver: a.pubkey, provider: a.provider, msats: 10_000n });
      Object.assign(expected, { accepted: 4, acceptedMsats: 40_000, senders: 2, receivers: 1 });
      break;
    }
    case 'implausible': {
      const a = recipient(0);
      zap({
        sender: key('sender'),
        receiver: a.pubkey,
        provider: a.provider,
        msats: 200_000_000_000n,
        multiplier: 'm',
      });
      const good = zap({ sender: key('sender'), receiver: a.pubkey, provider: a.provider, msats: 21_000n });
      events.pop();
      const receipt = (bolt11: string) =>
        signer.finalize(
          {
            kind: 9735,
            created_at: now,
            tags: [
              ['p', a.pubkey],
              ['bolt11', bolt11],
              ['description', JSON.stringify(good.request)],
            ],
            content: '',
          },
          a.provider,
        );
      const amountless = encodeBolt11({
        multiplier: 'none',
        paymentHash: '22'.repeat(32),
        nodeSecretKey: a.provider,
        timestamp: now,
      });
      events.push(receipt('lnbc210n1notaninvoice'), receipt(amountless));
      expected.rejected = { implausible: 3 };
      break;
    }
  }
  return { mode, events, expected };
}
