import { describe, expect, it } from 'vitest';
import type { NostrEvent } from '../protocol/event.js';
import { relayHints } from './relay-hints.js';

const ev = (kind: number, tags: string[][], content = ''): NostrEvent => ({
  id: '0'.repeat(64),
  pubkey: '1'.repeat(64),
  created_at: 1,
  kind,
  tags,
  content,
  sig: '0'.repeat(128),
});

describe('relayHints', () => {
  it('reads NIP-65 r tags, normalised, rejecting private and non-ws URLs', () => {
    const hints = relayHints(
      ev(10002, [
        ['r', 'wss://Relay.Example.com/'],
        ['r', 'wss://relay.example.com', 'read'],
        ['r', 'ws://127.0.0.1:7777'],
        ['r', 'https://not-a-relay.example.com'],
        ['r', 'wss://10.0.0.1'],
        ['p', 'wss://ignored.example.com'],
        ['r', 'wss://nos.lol'],
      ]),
    );
    expect(hints.sort()).toEqual(['wss://nos.lol', 'wss://relay.example.com']);
  });

  it('reads the legacy relay map in kind 3 content', () => {
    const content = JSON.stringify({ 'wss://relay.damus.io': { read: true }, 'wss://localhost': {} });
    expect(relayHints(ev(3, [], content))).toEqual(['wss://relay.damus.io']);
    expect(relayHints(ev(3, [], 'just text'))).toEqual([]);
    expect(relayHints(ev(1, [['r', 'wss://nos.lol']]))).toEqual([]);
  });
});
