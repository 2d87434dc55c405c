import { describe, expect, it } from 'vitest';
import { redactText, redactUrl } from './redact.js';

describe('redactUrl', () => {
  it.each([
    ['postgres://app:hunter2@db:5432/nostr', 'postgres://app:***@db:5432/nostr'],
    ['postgresql://app:hunter2@db/nostr?sslmode=require', 'postgresql://app:***@db/nostr?sslmode=require'],
    ['redis://:hunter2@redis:6379/0', 'redis://:***@redis:6379/0'],
    ['rediss://default:hunter2@redis:6380', 'rediss://default:***@redis:6380'],
    ['postgres://db/nostr?user=app&password=hunter2', 'postgres://db/nostr?user=app&password=***'],
    ['host=db user=app password=hunter2 dbname=x', 'host=db user=app password=*** dbname=x'],
    ["password='hunter2' host=db", 'password=*** host=db'],
    ['app:hunter2@db:5432/nostr', 'app:***@db:5432/nostr'],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
    expect(redactUrl(input)).not.toContain('hunter2');
  });

  it('leaves URLs without credentials alone', () => {
    expect(redactUrl('postgres://db:5432/nostr')).toBe('postgres://db:5432/nostr');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});

describe('redactText', () => {
  it('masks a NIP-19 secret key', () => {
    const nsec = 'nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5';
    expect(redactText(`bad key ${nsec} given`)).toBe('bad key nsec1*** given');
  });

  it('masks connection strings inside free text', () => {
    const text = 'connect ECONNREFUSED for postgres://app:hunter2@db/x after 3 tries (redis://:pw9@r:6379)';
    const clean = redactText(text);
    expect(clean).not.toMatch(/hunter2|pw9/);
    expect(clean).toContain('postgres://app:***@db/x');
    expect(clean).toContain('redis://:***@r:6379');
  });

  it('keeps text without secrets identical', () => {
    const text = 'relay wss://relay.damus.io closed: 1006';
    expect(redactText(text)).toBe(text);
  });
});
