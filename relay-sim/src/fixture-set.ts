import type { NostrEvent } from '@nostr-info/shared/nostr';
import { corruptId, corruptSignature, makeEvent, makeZapReceipt } from './fixtures.js';
import { deriveSecretKey } from './rng.js';
import { pureSigner } from './signer.js';

/** One hand-built copy and the relay indexes it goes to. */
export interface FixturePlacement {
  event: NostrEvent;
  relays: number[];
}

/**
 * Plausible zap amounts in the fixture set (millisatoshis), one per multiplier m/u/n/p; the `n` and
 * `p` ones carry parts of a sat, which add up to a whole one only when summed to the msat.
 */
export const FIXTURE_ZAP_MSATS = { m: 200_000_000n, u: 2_100_000n, n: 21_600n, p: 1_500n } as const;

/**
 * A small known set covering every counting rule, for exact collector tests (needs ≥ 3 relays):
 * duplicates across relays; the same id broken (signature, id) on some relays — published BEFORE
 * its valid copy, so an invalid copy must not shadow it; an id broken everywhere; client tags in
 * mixed case and padding, a second client tag, an empty one; zaps for every multiplier, no amount,
 * an implausible amount, an undecodable bolt11, sender only in `P` / only in the zap request;
 * an article in three versions plus another; replaceables republished, with an equal-timestamp
 * tie; relay lists with good and rejectable URLs. Publish in order with `publishFixtureSet`.
 */
export function buildFixtureSet({
  seed = 'fixture-set',
  now = Math.floor(Date.now() / 1000),
} = {}): FixturePlacement[] {
  const key = (i: number): Uint8Array => deriveSecretKey(seed, 'author', i);
  const pub = (i: number): string => pureSigner.publicKey(key(i));
  const ev = (i: number, kind: number, content: string, tags: string[][] = [], dt = 0): NostrEvent =>
    makeEvent({ kind, secret: key(i), content, tags, created_at: now + dt });
  const out: FixturePlacement[] = [];
  const all = [0, 1, 2];

  out.push({ event: ev(1, 1, 'everywhere', [['client', 'Damus']]), relays: all });
  out.push({ event: ev(2, 1, 'shouting client', [['client', ' DAMUS ']]), relays: [0] });
  out.push({
    event: ev(2, 7, '+', [
      ['client', 'Amethyst'],
      ['client', 'Damus'],
    ]),
    relays: [1, 2],
  });
  out.push({ event: ev(3, 1, 'no client'), relays: [2] });
  out.push({ event: ev(3, 1, 'empty client', [['client', '  ']]), relays: [0, 1] });
  const contested = ev(4, 1, 'broken on two relays, valid on one', [['client', 'Primal']]);
  out.push({ event: corruptSignature(contested), relays: [1] });
  out.push({ event: corruptId(contested), relays: [2] });
  out.push({ event: contested, relays: [0] });
  out.push({ event: corruptSignature(ev(5, 1, 'broken everywhere')), relays: [0, 1] });

  const zap = (o: Parameters<typeof makeZapReceipt>[0], relays: number[]): void => {
    out.push({ event: makeZapReceipt({ seed, created_at: now, receiver: pub(1), ...o }), relays });
  };
  zap({ multiplier: 'm', msats: FIXTURE_ZAP_MSATS.m, sender: key(6) }, all);
  zap({ multiplier: 'u', msats: FIXTURE_ZAP_MSATS.u, sender: key(7) }, [0, 1]);
  zap({ multiplier: 'n', msats: FIXTURE_ZAP_MSATS.n, sender: key(6), senderTag: false }, [1]);
  zap({ multiplier: 'p', msats: FIXTURE_ZAP_MSATS.p, sender: key(8), embedRequest: false }, [2]);
  zap({ multiplier: 'none', sender: key(7) }, [0]);
  zap({ multiplier: 'm', sats: 500_000_000_000, sender: key(9) }, [0, 2]);
  zap({ multiplier: 'n', sats: 21, sender: key(9), brokenBolt11: true, created_at: now + 1 }, [1]);

  for (let v = 0; v < 3; v++) {
    out.push({
      event: ev(
        10,
        30023,
        `# Draft ${v}`,
        [
          ['d', 'my-article'],
          ['title', 'Mine'],
        ],
        v,
      ),
      relays: [v],
    });
  }
  out.push({ event: ev(11, 30023, '# Other', [['d', 'other']]), relays: [0, 1] });

  out.push({ event: ev(12, 0, '{"name":"old"}', [], -10), relays: [0] });
  out.push({ event: ev(12, 0, '{"name":"new"}', [], 0), relays: [1] });
  const tieA = ev(13, 0, '{"name":"tie a"}', [], 5);
  const tieB = ev(13, 0, '{"name":"tie b"}', [], 5);
  out.push({ event: tieA, relays: [0] }, { event: tieB, relays: [2] });
  const relayMap = {
    'wss://relay-a.sim.example/': { read: true, write: true },
    'ws://10.1.2.3': { read: true },
  };
  out.push({ event: ev(14, 3, JSON.stringify(relayMap), [['p', pub(1)]]), relays: all });
  out.push({
    event: ev(14, 10002, '', [
      ['r', 'wss://relay-b.sim.example'],
      ['r', 'WSS://Relay-A.Sim.Example:443', 'read'],
      ['r', 'http://relay-c.sim.example'],
      ['r', 'wss://localhost:7777'],
    ]),
    relays: [1, 2],
  });
  return out;
}

/** Anything with the simulator's `publish` (in-process or child process). */
export interface Publisher {
  publish(events: NostrEvent[], relayIndexes?: number[]): number | Promise<number>;
}

/** Publishes a fixture set in order; resolves to the number of copies the relays accepted. */
export async function publishFixtureSet(net: Publisher, set: readonly FixturePlacement[]): Promise<number> {
  let n = 0;
  for (const p of set) n += await net.publish([p.event], p.relays);
  return n;
}
