import { describe, expect, it } from 'vitest';
import { currentRelayStatus, currentRelayStatusSince, RELAY_STATUS_STALE_MS } from './relay-status.js';

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

describe('currentRelayStatusSince', () => {
  const changed = new Date('2026-11-24T09:00:00Z');

  it('is the stored change time while the stored status stands', () => {
    expect(
      currentRelayStatusSince(
        { status: 'online', watched: true, held_at: ago(60_000), status_changed_at: changed },
        now,
      ),
    ).toEqual(changed);
    expect(
      currentRelayStatusSince(
        { status: 'offline', watched: false, held_at: null, status_changed_at: changed },
        now,
      ),
    ).toEqual(changed);
  });

  it('is the end of the last report window once the relay went unknown', () => {
    const heldAt = ago(RELAY_STATUS_STALE_MS + 90_000);
    expect(
      currentRelayStatusSince(
        { status: 'online', watched: true, held_at: heldAt, status_changed_at: changed },
        now,
      ),
    ).toEqual(new Date(heldAt.getTime() + RELAY_STATUS_STALE_MS));
  });

  it('keeps the change time of a status stored as unknown', () => {
    expect(
      currentRelayStatusSince(
        {
          status: 'unknown',
          watched: true,
          held_at: ago(RELAY_STATUS_STALE_MS * 3),
          status_changed_at: changed,
        },
        now,
      ),
    ).toEqual(changed);
  });

  it('is unknown for a watched relay never reported', () => {
    expect(
      currentRelayStatusSince(
        { status: 'online', watched: true, held_at: null, status_changed_at: changed },
        now,
      ),
    ).toBeNull();
  });
});
