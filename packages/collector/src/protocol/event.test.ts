import { finalizeEvent, generateSecretKey, getEventHash } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { computeEventId, isEventShape } from './event.js';

describe('event checks', () => {
  const event = finalizeEvent(
    { kind: 1, created_at: 1_700_000_000, tags: [['client', 'X']], content: 'héllo "quoted"\n' },
    generateSecretKey(),
  );

  it('computes the NIP-01 id like nostr-tools', () => {
    expect(computeEventId(event)).toBe(getEventHash(event));
    expect(computeEventId({ ...event, content: 'changed' })).not.toBe(event.id);
  });

  it('checks the shape', () => {
    expect(isEventShape({ ...event })).toBe(true);
    expect(isEventShape({ ...event, id: event.id.toUpperCase() })).toBe(false);
    expect(isEventShape({ ...event, kind: 1.5 })).toBe(false);
    expect(isEventShape({ ...event, tags: [[1]] })).toBe(false);
    expect(isEventShape({ ...event, sig: 'ab' })).toBe(false);
    expect(isEventShape(null)).toBe(false);
  });
});
