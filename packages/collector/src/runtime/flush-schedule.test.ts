import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlushSchedule } from './flush-schedule.js';

function setup() {
  const flusher = {
    busy: false,
    heldDue: false,
    heldWaitMs: 15_000,
    flush: vi.fn(async () => true),
    reportHeld: vi.fn(async () => true),
  };
  const state = { events: 0, waitsForFlush: false };
  const schedule = new FlushSchedule({
    flusher,
    bufferedEvents: () => state.events,
    waitsForFlush: () => state.waitsForFlush,
    flushIntervalMs: 10_000,
    flushMaxEvents: 1000,
  });
  return { flusher, state, schedule };
}

describe('FlushSchedule', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('flushes once the interval has passed, and not before', () => {
    const { flusher, schedule } = setup();
    vi.setSystemTime(1_009_999);
    schedule.tick();
    expect(flusher.flush).not.toHaveBeenCalled();
    vi.setSystemTime(1_010_000);
    schedule.tick();
    expect(flusher.flush).toHaveBeenCalledOnce();
    // The interval starts again from this flush.
    vi.setSystemTime(1_015_000);
    schedule.tick();
    expect(flusher.flush).toHaveBeenCalledOnce();
  });

  it('flushes early when the buffer holds the event bound', () => {
    const { flusher, state, schedule } = setup();
    state.events = 999;
    schedule.tick();
    expect(flusher.flush).not.toHaveBeenCalled();
    state.events = 1000;
    schedule.tick();
    expect(flusher.flush).toHaveBeenCalledOnce();
  });

  it('flushes at once while reading waits for room in the buffer', () => {
    const { flusher, state, schedule } = setup();
    state.waitsForFlush = true;
    schedule.tick();
    expect(flusher.flush).toHaveBeenCalledOnce();
  });

  it('never starts a flush while one is running', () => {
    const { flusher, state, schedule } = setup();
    flusher.busy = true;
    state.events = 5000;
    state.waitsForFlush = true;
    vi.setSystemTime(1_100_000);
    schedule.tick();
    expect(flusher.flush).not.toHaveBeenCalled();
  });

  it('writes a due held report alone only when no flush comes within its wait', () => {
    const { flusher, schedule } = setup();
    flusher.heldDue = true;
    flusher.heldWaitMs = 5000;
    // Next flush in 6 s: more than the report may wait.
    vi.setSystemTime(1_004_000);
    schedule.tick();
    expect(flusher.reportHeld).toHaveBeenCalledOnce();
    // Next flush in 5 s: the report rides with it.
    vi.setSystemTime(1_005_000);
    schedule.tick();
    expect(flusher.reportHeld).toHaveBeenCalledOnce();
    expect(flusher.flush).not.toHaveBeenCalled();
  });

  it('writes no report alone while a flush runs or when none is due', () => {
    const { flusher, schedule } = setup();
    schedule.tick();
    flusher.heldDue = true;
    flusher.busy = true;
    schedule.tick();
    expect(flusher.reportHeld).not.toHaveBeenCalled();
  });
});
