import type { NostrEvent } from '@nostr-info/shared/nostr';
import { words } from './corpus-content.js';
import type { PopulationSettings } from './population-options.js';
import type { PopulationGraph } from './population-types.js';
import { Rng } from './rng.js';
import type { Signer } from './signer.js';
import type { EventTemplate } from './types.js';
import { exponentialCount, ZipfSampler } from './zipf-sampler.js';

/** One account's keys, by account index. */
export interface PopulationKey {
  secret: Uint8Array;
  pubkey: string;
}

const SPAM = [
  'free sats for the first 1000 followers',
  'gm gm follow back for follow back',
  'airdrop live now claim yours',
  '100x signal join the group',
  'best relay deals of the week',
];

const FARM_NAMES = ['satoshi_fan', 'nostr_growth', 'zap_hunter', 'crypto_daily', 'moon_signals'];

/**
 * Signs every account's events, by account index: a profile and a follow list when the graph says
 * so (one version each, dated in the first tenth of the span, so the latest list is the graph's),
 * then notes, then reactions (one per note and user) never older than the note they name.
 * Organic users react to their followees' notes, else to popular users' notes; bots to their farm
 * mates' notes (seven in ten), else to popular users' notes, as engagement farms do.
 */
export function signPopulation(
  s: PopulationSettings,
  graph: PopulationGraph,
  keys: readonly PopulationKey[],
  signer: Signer,
): NostrEvent[][] {
  const rng = new Rng(`${s.seed}:population-events`);
  const popularity = new ZipfSampler(s.organic, s.zipfExponent);
  const start = s.now - s.spanSeconds;
  const byAccount: NostrEvent[][] = keys.map(() => []);
  const ids = new Set<string>();
  // Two equal templates make one event (same id); it is kept once so the truth counts stay exact.
  const sign = (account: number, t: EventTemplate): NostrEvent | undefined => {
    const key = keys[account];
    if (!key) throw new RangeError(`no key for account ${account}`);
    const ev = signer.finalize(t, key.secret);
    if (ids.has(ev.id)) return undefined;
    ids.add(ev.id);
    byAccount[account]?.push(ev);
    return ev;
  };
  const farmMembers: number[][] = Array.from({ length: s.farms }, () => []);
  graph.farmOfBot.forEach((farm, b) => {
    farmMembers[farm]?.push(s.organic + b);
  });
  const farmOf = (a: number): number | undefined => graph.farmOfBot[a - s.organic];

  keys.forEach((_, a) => {
    const early = () => start + rng.int(Math.floor(s.spanSeconds / 10) + 1);
    const farm = farmOf(a);
    if (graph.hasProfile[a]) {
      const content = farm === undefined ? organicProfile(rng, a) : botProfile(rng, farm, a - s.organic);
      sign(a, { kind: 0, created_at: early(), tags: [], content });
    }
    if (graph.hasFollowList[a]) {
      const tags = [...(graph.follows[a] ?? [])].map((b) => ['p', keys[b]?.pubkey ?? '']);
      sign(a, { kind: 3, created_at: early(), tags, content: '' });
    }
  });

  const notes: NostrEvent[][] = keys.map(() => []);
  keys.forEach((_, a) => {
    const farm = farmOf(a);
    const count = exponentialCount(rng, farm === undefined ? s.notesPerUser : s.notesPerBot);
    for (let n = 0; n < count; n++) {
      const created_at = start + rng.int(s.spanSeconds + 1);
      const content =
        farm === undefined
          ? words(rng, 3, 30)
          : `${rng.pick(SPAM)} https://promo.sim.example/${farm}/${rng.int(1000)}`;
      const tags = farm === undefined && rng.chance(0.2) ? [['t', rng.pick(['nostr', 'gm', 'art'])]] : [];
      const note = sign(a, { kind: 1, created_at, tags, content });
      if (note) notes[a]?.push(note);
    }
  });

  const noteOf = (account: number | undefined): NostrEvent | undefined => {
    const list = account === undefined ? undefined : notes[account];
    return list && list.length > 0 ? rng.pick(list) : undefined;
  };
  const popularNote = (): NostrEvent | undefined => {
    for (let tries = 0; tries < 5; tries++) {
      const note = noteOf(popularity.draw(rng));
      if (note) return note;
    }
    return undefined;
  };
  keys.forEach((_, a) => {
    const farm = farmOf(a);
    const followees = [...(graph.follows[a] ?? [])];
    const mates = farm === undefined ? [] : (farmMembers[farm] ?? []);
    const count = exponentialCount(rng, farm === undefined ? s.reactionsPerUser : s.reactionsPerBot);
    const reacted = new Set<string>();
    for (let n = 0; n < count; n++) {
      let target: NostrEvent | undefined;
      if (farm !== undefined && mates.length > 0 && rng.chance(0.7)) target = noteOf(rng.pick(mates));
      else if (farm === undefined && followees.length > 0) target = noteOf(rng.pick(followees));
      target ??= popularNote();
      // One reaction per note and user, and none to one's own notes.
      if (!target || target.pubkey === keys[a]?.pubkey || reacted.has(target.id)) continue;
      reacted.add(target.id);
      const created_at = target.created_at + rng.int(s.now - target.created_at + 1);
      const tags = [
        ['e', target.id],
        ['p', target.pubkey],
        ['k', '1'],
      ];
      sign(a, { kind: 7, created_at, tags, content: rng.pick(['+', '+', '+', '🤙', '❤️']) });
    }
  });
  return byAccount;
}

function organicProfile(rng: Rng, account: number): string {
  return JSON.stringify({
    name: `${words(rng, 1, 1)}${account}`,
    display_name: words(rng, 1, 3),
    about: words(rng, 5, 25),
    picture: `https://img.sim.example/people/${account}.png`,
  });
}

/** Farm profiles share a template, as mass-produced keys do. */
function botProfile(rng: Rng, farm: number, bot: number): string {
  const name = `${FARM_NAMES[farm % FARM_NAMES.length]}_${bot}`;
  return JSON.stringify({
    name,
    display_name: name,
    about: `${rng.pick(SPAM)} | follow for follow`,
    picture: `https://img.sim.example/farm${farm}.png`,
    website: `https://promo.sim.example/${farm}`,
  });
}
