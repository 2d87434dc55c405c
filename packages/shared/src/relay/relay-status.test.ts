import { describe, expect, it } from 'vitest';
import { currentRelayStatus, RELAY_STATUS_STALE_MS } from './relay-status.js';

const now = new Date('2026-11-24T12:30:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('currentRelayStatus', () => {
  it('keeps the stored status while a collector reports holding the relay', () => {
    expect(currentRelayStatus({ status: 'online', watched: true, held_at: ago(60_000) }, now)).toBe('online');
    expect(
      currentRelayStatus({ status: 'offline', watched: true, held_at: ago(RELAY_STATUS_STALE_MS) }, now),
    ).toBe('offline');
  });

  it('shows a watched relay none has reported for too long, or ever, as unknown', () => {
    expect(
      currentRelayStatus({ status: 'online', watched: true, held_at: ago(RELAY_STATUS_STALE_MS + 1) }, now),
    ).toBe('unknown');
    expect(currentRelayStatus({ status: 'auth_required', watched: true, held_at: null }, now)).toBe(
      'unknown',
    );
  });

  it('leaves a relay no collector ever held with what its probe found', () => {
    expect(currentRelayStatus({ status: 'offline', watched: false, held_at: null }, now)).toBe('offline');
  });

  it('shows a relay taken off the watched set as unknown once its last report is old', () => {
    expect(currentRelayStatus({ status: 'online', watched: false, held_at: ago(60_000) }, now)).toBe(
      'online',
    );
    expect(
      currentRelayStatus({ status: 'online', watched: false, held_at: ago(RELAY_STATUS_STALE_MS + 1) }, now),
    ).toBe('unknown');
  });
});
