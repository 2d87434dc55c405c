import { describe, expect, it } from 'vitest';
import { relayNetwork } from './relay-network.js';

describe('relayNetwork', () => {
  it('tells overlay hosts from clearnet ones', () => {
    expect(relayNetwork('ws://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion')).toBe('tor');
    expect(relayNetwork('wss://Relay.Example.ONION./')).toBe('tor');
    expect(relayNetwork('wss://relay.i2p')).toBe('i2p');
    expect(relayNetwork('wss://relay.damus.io')).toBe('clearnet');
    expect(relayNetwork('wss://onion.example.com')).toBe('clearnet');
    expect(relayNetwork('ws://127.0.0.1:7777')).toBe('clearnet');
  });
});
