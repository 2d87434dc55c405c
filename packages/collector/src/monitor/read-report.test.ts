import { describe, expect, it } from 'vitest';
import { readMonitorReport } from './read-report.js';

const event = (tags: string[][], over: Partial<{ kind: number; pubkey: string }> = {}) => ({
  id: 'e'.repeat(64),
  pubkey: over.pubkey ?? 'a'.repeat(64),
  created_at: 1_700_000_000,
  kind: over.kind ?? 30166,
  tags,
  content: '',
  sig: 's'.repeat(128),
});

describe('readMonitorReport', () => {
  it('reads the relay, normalised, and the round-trip times', () => {
    expect(
      readMonitorReport(
        event([
          ['d', 'wss://Relay.Example.com:443/'],
          ['rtt-open', '120'],
          ['rtt-read', '80'],
        ]),
      ),
    ).toEqual({
      monitorPubkey: 'a'.repeat(64),
      relayUrl: 'wss://relay.example.com',
      eventId: 'e'.repeat(64),
      reportedAt: 1_700_000_000_000,
      rttOpenMs: 120,
      rttReadMs: 80,
      publicHost: true,
    });
  });

  it.each([
    ['no d tag', [['rtt-open', '1']]],
    ['a pubkey as d', [['d', 'b'.repeat(64)]]],
    ['an http URL', [['d', 'https://relay.example.com']]],
    ['a huge d', [['d', `wss://${'x'.repeat(600)}.example.com`]]],
  ])('makes no report of %s', (_, tags) => {
    expect(readMonitorReport(event(tags))).toBeUndefined();
  });

  it('reads a private relay, which is never to be discovered', () => {
    expect(readMonitorReport(event([['d', 'ws://10.0.0.1']]))?.publicHost).toBe(false);
    expect(readMonitorReport(event([['d', 'ws://127.0.0.1:7777']]))?.publicHost).toBe(false);
  });

  it('drops times that are no whole milliseconds up to a minute', () => {
    const report = readMonitorReport(
      event([
        ['d', 'wss://relay.example.com'],
        ['rtt-open', '-5'],
        ['rtt-read', '600001'],
      ]),
    );
    expect(report).toMatchObject({ rttOpenMs: null, rttReadMs: null });
  });

  it('skips our own reports, other kinds, and tags past the first 200', () => {
    expect(readMonitorReport(event([['d', 'wss://relay.example.com']]), 'a'.repeat(64))).toBeUndefined();
    expect(readMonitorReport(event([['d', 'wss://relay.example.com']], { kind: 10166 }))).toBeUndefined();
    const padded = [...Array.from({ length: 200 }, () => ['t', 'x']), ['d', 'wss://relay.example.com']];
    expect(readMonitorReport(event(padded))).toBeUndefined();
  });
});
