import { describe, expect, it } from 'vitest';
import { nip11Document } from './nip11.js';

const base = {
  index: 2,
  mode: 'normal' as const,
  maxMessageLength: 1000,
  maxSubscriptions: 5,
  paymentRequired: false,
};

describe('nip11Document', () => {
  it('names the simulator by default', () => {
    const doc = nip11Document(base);
    expect(doc).toMatchObject({
      software: 'git+https://github.com/nostr-info/relay-sim',
      version: '0.1.0',
      supported_nips: [1, 9, 11, 40, 42],
      limitation: { restricted_writes: false },
    });
  });

  it('names the software, version and NIPs it is given, and leaves out what is null', () => {
    const doc = nip11Document({
      ...base,
      identity: { software: 'strfry', version: null, supportedNips: [1, 11], restrictedWrites: true },
    });
    expect(doc.software).toBe('strfry');
    expect('version' in doc).toBe(false);
    expect(doc.supported_nips).toEqual([1, 11]);
    expect(doc.limitation).toMatchObject({ restricted_writes: true });
  });
});
