import type { Rng } from './rng.js';

const WORDS = (
  'gm nostr relay zap bitcoin lightning freedom protocol note client key sats pleb build ship ' +
  'morning coffee thread privacy censorship value signal network node wallet merchant art photo ' +
  'music podcast article long read follow reply repost meme pow vibe cheers hello world today'
).split(' ');

/** A sentence-ish string of `min`..`max` words. */
export function words(rng: Rng, min: number, max: number): string {
  const n = min + rng.int(max - min + 1);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(rng.pick(WORDS));
  return out.join(' ');
}

/** Markdown body of roughly `bytes` length for long-form articles. */
export function markdown(rng: Rng, bytes: number): string {
  const parts: string[] = [`# ${words(rng, 2, 6)}`];
  let size = parts[0]?.length ?? 0;
  while (size < bytes) {
    const p = rng.chance(0.2) ? `## ${words(rng, 2, 5)}` : words(rng, 20, 60);
    parts.push(p);
    size += p.length + 2;
  }
  return parts.join('\n\n');
}

/** Relay URLs for kind 10002 / kind 3 relay lists: public ones (some written oddly) and ones to reject. */
export function relayListUrl(rng: Rng): string {
  const k = 1 + rng.int(60);
  const roll = rng.next();
  if (roll < 0.55) return `wss://relay${k}.sim.example`;
  if (roll < 0.62) return `wss://relay${k}.sim.example/`;
  if (roll < 0.67) return `WSS://Relay${k}.Sim.Example`;
  if (roll < 0.71) return `wss://relay${k}.sim.example:443`;
  if (roll < 0.75) return `ws://nos${k}.sim.example/inbox`;
  if (roll < 0.8) return `http://relay${k}.sim.example`;
  if (roll < 0.84) return `ws://192.168.1.${k}`;
  if (roll < 0.88) return `wss://localhost:${7000 + k}`;
  if (roll < 0.91) return `ws://10.0.0.${k}:8080`;
  if (roll < 0.94) return 'wss://[::1]:7777';
  if (roll < 0.97) return `https://relay${k}.sim.example`;
  return 'not a relay url';
}

/** A kind 0 profile body. */
export function profile(rng: Rng, n: number): string {
  return JSON.stringify({
    name: `sim-user-${n}`,
    display_name: words(rng, 1, 3),
    about: words(rng, 5, 25),
    picture: `https://img.sim.example/${n}.png`,
    nip05: `user${n}@sim.example`,
    lud16: `user${n}@wallet.sim.example`,
  });
}
