import { describe, expect, it } from 'vitest';
import { monitorAgreement } from './monitor-agreement.js';

const now = new Date('2026-12-06T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe('monitorAgreement', () => {
  const reports = [hoursAgo(0.5), hoursAgo(3), hoursAgo(30)];

  it('counts the reports of the last 24 hours, all agreeing with a relay that is up', () => {
    expect(monitorAgreement(reports, 'online', hoursAgo(100), now)).toEqual({
      window_hours: 24,
      reporting: 2,
      agree: 2,
    });
    expect(monitorAgreement(reports, 'auth_required', null, now).agree).toBe(2);
  });

  it('with a relay down, agrees with reports from before it went down only', () => {
    expect(monitorAgreement(reports, 'offline', hoursAgo(1), now)).toEqual({
      window_hours: 24,
      reporting: 2,
      agree: 1,
    });
    expect(monitorAgreement(reports, 'unresponsive', hoursAgo(0.1), now).agree).toBe(2);
    expect(monitorAgreement(reports, 'stalled', null, now).agree).toBe(0);
  });

  it('has no agreement for a status it does not know', () => {
    expect(monitorAgreement(reports, 'unknown', null, now)).toEqual({
      window_hours: 24,
      reporting: 2,
      agree: null,
    });
    expect(monitorAgreement([], 'online', null, now)).toEqual({ window_hours: 24, reporting: 0, agree: 0 });
  });
});
