import { describe, expect, it } from 'vitest';
import { ReportSchedule } from './report-schedule.js';
import type { RelayFacts } from './report-tags.js';

const relay = (relayId: number, status: RelayFacts['status']): RelayFacts => ({
  relayId,
  url: `wss://r${relayId}.example.com`,
  status,
  openLatencyMs: 10,
  eoseLatencyMs: 20,
  supportedNips: null,
  authRequired: null,
  paymentRequired: null,
  restrictedWrites: null,
  nip11: null,
});

const sends = (due: ReturnType<ReportSchedule['due']>) =>
  due.map((d) => [d.facts.relayId, d.send, d.createdAt]);

describe('ReportSchedule', () => {
  it('reports every relay that is up on a full round, and none that is down', () => {
    const s = new ReportSchedule();
    expect(
      sends(s.due([relay(1, 'online'), relay(2, 'offline'), relay(3, 'auth_required')], true, 100)),
    ).toEqual([
      [1, 'report', 100],
      [3, 'report', 100],
    ]);
  });

  it('between rounds sends only status changes, each dated after the last event of its relay', () => {
    const s = new ReportSchedule();
    s.due([relay(1, 'online'), relay(2, 'online')], true, 100);
    expect(sends(s.due([relay(1, 'online'), relay(2, 'online')], false, 100))).toEqual([]);
    // Goes down in the same second: withdrawn, dated one second later.
    expect(sends(s.due([relay(1, 'offline'), relay(2, 'online')], false, 100))).toEqual([
      [1, 'withdraw', 101],
    ]);
    // Down in another way: nothing new to say.
    expect(sends(s.due([relay(1, 'stalled'), relay(2, 'online')], false, 105))).toEqual([]);
    // Back, and relay 2 now wants authentication.
    expect(sends(s.due([relay(1, 'online'), relay(2, 'auth_required')], false, 106))).toEqual([
      [1, 'report', 106],
      [2, 'report', 106],
    ]);
  });

  it('withdraws nothing for a relay it never reported, and reports a relay taken over at once', () => {
    const s = new ReportSchedule();
    s.due([relay(1, 'offline')], true, 100);
    expect(sends(s.due([relay(1, 'offline')], false, 101))).toEqual([]);
    expect(sends(s.due([relay(1, 'offline'), relay(9, 'online')], false, 102))).toEqual([[9, 'report', 102]]);
    // Relay 9 moved to another replica, then came back: reported again at once.
    s.due([relay(1, 'offline')], false, 103);
    expect(sends(s.due([relay(1, 'offline'), relay(9, 'online')], false, 104))).toEqual([[9, 'report', 104]]);
  });
});
