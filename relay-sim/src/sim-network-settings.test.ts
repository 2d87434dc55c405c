import { describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR } from './relay-behaviour.js';
import { pureSigner } from './signer.js';
import { corpusOptions, resolveSettings } from './sim-network-settings.js';

describe('resolveSettings', () => {
  it('applies the documented defaults', () => {
    expect(resolveSettings({})).toEqual({
      relays: 5,
      seed: 'relay-sim',
      host: '127.0.0.1',
      hosts: ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1'],
      nip11: [undefined, undefined, undefined, undefined, undefined],
      port: 0,
      autoStart: true,
      modes: ['normal', 'normal', 'normal', 'normal', 'normal'],
      behaviour: DEFAULT_BEHAVIOUR,
      stream: {
        rate: 50,
        copies: 5,
        multiRelayShare: 0.8,
        invalidSigShare: 0.02,
        invalidIdShare: 0.01,
        tickMs: 20,
      },
    });
  });

  it('takes an address and a NIP-11 identity per relay, the rest on the defaults', () => {
    const s = resolveSettings({
      relays: 3,
      host: '127.0.0.9',
      hosts: { 1: '127.0.0.2' },
      nip11: [{ software: 'strfry', version: '1.0.4' }],
    });
    expect(s.hosts).toEqual(['127.0.0.9', '127.0.0.2', '127.0.0.9']);
    expect(s.nip11).toEqual([{ software: 'strfry', version: '1.0.4' }, undefined, undefined]);
  });

  it('keeps at least one relay and between one and all relays per event', () => {
    expect(resolveSettings({ relays: 0, copies: 3 })).toMatchObject({ relays: 1, stream: { copies: 1 } });
    expect(resolveSettings({ relays: 8, copies: 0 }).stream.copies).toBe(1);
    expect(resolveSettings({ relays: 8 }).stream.copies).toBe(6);
  });

  it('takes modes as a list or by index, and behaviour overrides field by field', () => {
    expect(resolveSettings({ relays: 3, modes: ['stall', 'flood'] }).modes).toEqual([
      'stall',
      'flood',
      'normal',
    ]);
    expect(resolveSettings({ relays: 3, modes: { 2: 'notice' } }).modes).toEqual([
      'normal',
      'normal',
      'notice',
    ]);
    const { behaviour } = resolveSettings({ slowEoseMs: 10, historySize: undefined });
    expect(behaviour).toEqual({ ...DEFAULT_BEHAVIOUR, slowEoseMs: 10 });
    expect(DEFAULT_BEHAVIOUR.slowEoseMs).not.toBe(10);
  });

  it('starts paused only when autoStart is false', () => {
    expect(resolveSettings({ autoStart: false }).autoStart).toBe(false);
    expect(resolveSettings({ autoStart: true }).autoStart).toBe(true);
  });
});

describe('corpusOptions', () => {
  it('passes on only the corpus options given, and the stream rate as events per second', () => {
    expect(corpusOptions({}, pureSigner)).toEqual({
      size: 2000,
      seed: 'relay-sim',
      signer: pureSigner,
      eventsPerSecond: 50,
    });
    expect(
      corpusOptions(
        {
          corpusSize: 9,
          seed: 's',
          kinds: { 1: 1 },
          authors: 4,
          clientTagShare: 0,
          createdAtBase: 7,
          rate: 0,
        },
        pureSigner,
      ),
    ).toEqual({
      size: 9,
      seed: 's',
      signer: pureSigner,
      kinds: { 1: 1 },
      authors: 4,
      clientTagShare: 0,
      now: 7,
    });
  });
});
