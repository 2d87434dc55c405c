import { describe, expect, it } from 'vitest';
import {
  MAX_CONTENT_BYTES,
  monitorAnnouncement,
  networkOf,
  type RelayFacts,
  relayReport,
  reportable,
  reportContent,
  reportWithdrawal,
} from './report-tags.js';

const facts = (over: Partial<RelayFacts> = {}): RelayFacts => ({
  relayId: 1,
  url: 'wss://relay.example.com',
  status: 'online',
  openLatencyMs: 123,
  eoseLatencyMs: 456,
  supportedNips: [40, 11, 1, 11],
  authRequired: true,
  paymentRequired: null,
  restrictedWrites: true,
  nip11: { name: 'Example', software: 'git+https://example.com/relay', version: '1.2.3' },
  ...over,
});

const values = (tags: string[][], name: string) => tags.filter((t) => t[0] === name).map((t) => t[1]);

describe('relayReport', () => {
  it('reports a serving relay as measured, with observed requirements over claimed ones', () => {
    const report = relayReport(facts());
    expect(report.kind).toBe(30166);
    expect(report.tags).toEqual([
      ['d', 'wss://relay.example.com'],
      ['n', 'clearnet'],
      ['rtt-open', '123'],
      ['rtt-read', '456'],
      ['N', '1'],
      ['N', '11'],
      ['N', '40'],
      // It served the subscription without authentication, whatever the document claims.
      ['R', '!auth'],
      ['R', '!payment'],
      ['R', 'writes'],
    ]);
    expect(JSON.parse(report.content)).toMatchObject({ software: 'git+https://example.com/relay' });
  });

  it('gives a refusing relay its requirement and no read time', () => {
    const auth = relayReport(
      facts({ status: 'auth_required', paymentRequired: false, restrictedWrites: null }),
    );
    expect(values(auth.tags, 'R')).toEqual(['auth', '!payment']);
    expect(values(auth.tags, 'rtt-open')).toEqual(['123']);
    expect(values(auth.tags, 'rtt-read')).toEqual([]);

    const paid = relayReport(
      facts({ status: 'payment_required', authRequired: null, restrictedWrites: null }),
    );
    expect(values(paid.tags, 'R')).toEqual(['payment']);
  });

  it('leaves out what was never measured or claimed', () => {
    const report = relayReport(
      facts({
        openLatencyMs: null,
        eoseLatencyMs: null,
        supportedNips: null,
        restrictedWrites: null,
        nip11: null,
      }),
    );
    expect(report.tags).toEqual([
      ['d', 'wss://relay.example.com'],
      ['n', 'clearnet'],
      ['R', '!auth'],
      ['R', '!payment'],
    ]);
    expect(report.content).toBe('');
  });

  it('rounds fractional times and reads proof-of-work from the limitation', () => {
    const report = relayReport(
      facts({ openLatencyMs: 12.6, eoseLatencyMs: 0.4, nip11: { limitation: { min_pow_difficulty: 20 } } }),
    );
    expect(values(report.tags, 'rtt-open')).toEqual(['13']);
    expect(values(report.tags, 'rtt-read')).toEqual(['0']);
    expect(values(report.tags, 'R')).toContain('pow');
  });
});

describe('networkOf', () => {
  it.each([
    ['wss://relay.example.com', 'clearnet'],
    ['ws://abcdefghijklmnop.onion', 'tor'],
    ['ws://relay.i2p', 'i2p'],
    ['ws://relay.loki', 'loki'],
    ['not a url', 'clearnet'],
  ])('%s is %s', (url, network) => {
    expect(networkOf(url)).toBe(network);
  });
});

describe('reportable', () => {
  it('reports relays that are up, not those that are down', () => {
    expect(['online', 'auth_required', 'payment_required'].every((s) => reportable(s as never))).toBe(true);
    expect(
      ['offline', 'stalled', 'unresponsive', 'unknown', 'error'].some((s) => reportable(s as never)),
    ).toBe(false);
  });
});

describe('reportContent', () => {
  it('keeps a large document to its core fields, and drops one whose core is too large', () => {
    const large = { name: 'Big', software: 'strfry', description: 'x'.repeat(MAX_CONTENT_BYTES) };
    expect(JSON.parse(reportContent(large))).toEqual({ name: 'Big', software: 'strfry' });
    expect(reportContent({ name: 'y'.repeat(MAX_CONTENT_BYTES) })).toBe('');
  });
});

describe('monitorAnnouncement', () => {
  it('announces the frequency, the timeout of each check and the checks', () => {
    const ann = monitorAnnouncement({
      frequencySeconds: 3600,
      openTimeoutMs: 10_000,
      readTimeoutMs: 15_000,
      nip11TimeoutMs: 10_000,
    });
    expect(ann.kind).toBe(10166);
    expect(ann.tags).toEqual([
      ['frequency', '3600'],
      ['timeout', '10000', 'open'],
      ['timeout', '15000', 'read'],
      ['timeout', '10000', 'nip11'],
      ['c', 'open'],
      ['c', 'read'],
      ['c', 'nip11'],
    ]);
  });
});

describe('reportWithdrawal', () => {
  it('asks for the deletion of the report by its address', () => {
    const pubkey = 'ab'.repeat(32);
    expect(reportWithdrawal(pubkey, 'wss://relay.example.com')).toEqual({
      kind: 5,
      tags: [
        ['a', `30166:${pubkey}:wss://relay.example.com`],
        ['k', '30166'],
      ],
      content: 'relay down',
    });
  });
});
