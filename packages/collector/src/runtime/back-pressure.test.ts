import { describe, expect, it, vi } from 'vitest';
import { BackPressure } from './back-pressure.js';

function setup({ maxInFlightCopies = 100, bufferMaxKeys = 1000 } = {}) {
  const sockets = { pauseAll: vi.fn(), resumeAll: vi.fn() };
  const backlog = { inFlight: 0 };
  const buffer = { bufferedKeys: 0 };
  const logger = { warn: vi.fn(), debug: vi.fn() };
  const gate = new BackPressure({ sockets, backlog, buffer, maxInFlightCopies, bufferMaxKeys, logger });
  return { gate, sockets, backlog, buffer, logger };
}

describe('BackPressure', () => {
  it('pauses on the frame that brings the backlog to its bound, once', () => {
    const { gate, sockets, backlog } = setup();
    backlog.inFlight = 99;
    gate.afterFrame();
    expect(gate.paused).toBe(false);
    backlog.inFlight = 100;
    gate.afterFrame();
    gate.afterFrame();
    expect(gate.paused).toBe(true);
    expect(sockets.pauseAll).toHaveBeenCalledOnce();
  });

  it('resumes only once the backlog is below half the bound', () => {
    const { gate, sockets, backlog } = setup();
    backlog.inFlight = 100;
    gate.afterFrame();
    backlog.inFlight = 50;
    gate.relieve();
    expect(gate.paused).toBe(true);
    backlog.inFlight = 49;
    gate.relieve();
    expect(gate.paused).toBe(false);
    expect(sockets.resumeAll).toHaveBeenCalledOnce();
  });

  it('stays paused while the counter buffer holds 80 % of its bound or more', () => {
    const { gate, backlog, buffer } = setup();
    backlog.inFlight = 100;
    gate.afterFrame();
    backlog.inFlight = 0;
    buffer.bufferedKeys = 800;
    gate.relieve();
    expect(gate.paused).toBe(true);
    buffer.bufferedKeys = 799;
    gate.relieve();
    expect(gate.paused).toBe(false);
  });

  it('waits for a flush only while the counter buffer, not the backlog, holds reading back', () => {
    const { gate, backlog, buffer } = setup();
    buffer.bufferedKeys = 900;
    expect(gate.waitsForFlush).toBe(false);
    // Paused on the verification backlog, with a buffer below the resume share.
    backlog.inFlight = 100;
    gate.afterFrame();
    buffer.bufferedKeys = 799;
    expect(gate.paused).toBe(true);
    expect(gate.waitsForFlush).toBe(false);
    buffer.bufferedKeys = 800;
    expect(gate.waitsForFlush).toBe(true);
  });

  it('does not resume sockets it never paused', () => {
    const { gate, sockets } = setup();
    gate.relieve();
    gate.check();
    expect(sockets.resumeAll).not.toHaveBeenCalled();
  });

  it('pauses on a full counter buffer at the periodic check, with a warning', () => {
    const { gate, sockets, buffer, logger } = setup();
    buffer.bufferedKeys = 1000;
    gate.check();
    expect(gate.paused).toBe(true);
    expect(sockets.pauseAll).toHaveBeenCalledOnce();
    expect(logger.warn).toHaveBeenCalledWith({ keys: 1000 }, 'buffer full: pausing relay sockets');
  });

  it('pauses on a full backlog at the periodic check without a warning', () => {
    const { gate, backlog, logger } = setup();
    backlog.inFlight = 100;
    gate.check();
    expect(gate.paused).toBe(true);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('resumes at the periodic check once there is room', () => {
    const { gate, sockets, buffer } = setup();
    buffer.bufferedKeys = 1000;
    gate.check();
    buffer.bufferedKeys = 10;
    gate.check();
    expect(gate.paused).toBe(false);
    expect(sockets.resumeAll).toHaveBeenCalledOnce();
  });
});
