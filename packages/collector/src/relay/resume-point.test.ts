import { describe, expect, it } from 'vitest';
import { ResumePoint } from './resume-point.js';

describe('ResumePoint', () => {
  it('never resumes below the first subscription, which asked from "now"', () => {
    const start = 1_700_000_000;
    const point = new ResumePoint({ capacity: 1000, lookbackSeconds: 900, now: () => start * 1000 });
    expect(point.nextSince(start * 1000)).toEqual({ since: start, capped: false });
    point.subscribed();
    // The socket drops 30 s later: the look-back would reach 15 minutes before the collector
    // started watching, into events a previous process may have counted already.
    point.heard((start + 30) * 1000);
    expect(point.nextSince((start + 31) * 1000)).toEqual({ since: start, capped: false });
    // Once the relay has been watched longer than the look-back, the full window is asked.
    point.heard((start + 2000) * 1000);
    expect(point.nextSince((start + 2001) * 1000).since).toBe(start + 2000 - 900);
  });
});

describe('ResumePoint after a long gap', () => {
  it('never reaches back past what the network-wide dedup remembers', () => {
    const start = 1_700_000_000;
    const point = new ResumePoint({
      capacity: 1000,
      lookbackSeconds: 900,
      maxAgeSeconds: 3000,
      now: () => start * 1000,
    });
    point.nextSince(start * 1000);
    point.subscribed();
    point.heard((start + 100) * 1000);
    // Back after 10,000 s: the look-back would ask from start + 100 - 900 (floored at start).
    expect(point.nextSince((start + 10_100) * 1000).since).toBe(start + 10_100 - 3000);
    // A short gap is not affected.
    point.heard((start + 10_200) * 1000);
    expect(point.nextSince((start + 10_300) * 1000).since).toBe(start + 10_200 - 900);
  });
});
