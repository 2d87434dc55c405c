import { describe, expect, it } from 'vitest';
import { loadEnv } from './env.js';
import { EnvError } from './env-error.js';

const HEX = '67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa';
const NSEC = 'nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5';

function envError(source: Record<string, string>): EnvError {
  try {
    loadEnv('collector', source);
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error('expected the environment to be refused');
}

describe('NIP-66 monitor settings', () => {
  it('are off by default, hourly once on', () => {
    const env = loadEnv('collector', {});
    expect(env.MONITOR_SECRET_KEY).toBeUndefined();
    expect(env.MONITOR_PUBLISH_RELAYS).toBeUndefined();
    expect(env.MONITOR_PUBLISH_INTERVAL_SECONDS).toBe(3600);
  });

  it('read an nsec as its hex key and normalise the publish relays', () => {
    const env = loadEnv('all-in-one', {
      MONITOR_SECRET_KEY: NSEC,
      MONITOR_PUBLISH_RELAYS: 'wss://Relay.Example.com/, wss://relay.example.com wss://other.example:443',
    });
    expect(env.MONITOR_SECRET_KEY).toBe(HEX);
    expect(env.MONITOR_PUBLISH_RELAYS).toEqual(['wss://relay.example.com', 'wss://other.example']);
  });

  it('list every problem and never show the key', () => {
    const bad = `${HEX.slice(0, 63)}x`;
    const err = envError({
      MONITOR_SECRET_KEY: bad,
      MONITOR_PUBLISH_RELAYS: 'https://relay.example.com',
      MONITOR_PUBLISH_INTERVAL_SECONDS: '5',
    });
    expect(err.problems.map((p) => p.name).sort()).toEqual([
      'MONITOR_PUBLISH_INTERVAL_SECONDS',
      'MONITOR_PUBLISH_RELAYS',
      'MONITOR_SECRET_KEY',
    ]);
    expect(err.message).not.toContain(bad.slice(0, 20));
    expect(err.problems.find((p) => p.name === 'MONITOR_SECRET_KEY')?.given).toBe('"***"');
  });

  it('refuse a key without relays, and relays without a key', () => {
    expect(envError({ MONITOR_SECRET_KEY: HEX }).problems.map((p) => p.name)).toEqual([
      'MONITOR_PUBLISH_RELAYS',
    ]);
    expect(
      envError({ MONITOR_PUBLISH_RELAYS: 'wss://relay.example.com' }).problems.map((p) => p.name),
    ).toEqual(['MONITOR_SECRET_KEY']);
  });
});
