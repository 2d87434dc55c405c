import type { RawData } from 'ws';
import type { RelayMode, ReqAnswer } from './types.js';

const REQ_HEAD = /^\s*\[\s*"REQ"/;

/** What a relay's truth says about the REQs it was sent and how it answered them. */
export interface ReqTally {
  reqsReceived: number;
  eoseSent: number;
  pongsSent: number;
  lastReqAnswer: ReqAnswer | null;
}

/** A relay's REQ counters before any socket. */
export const newReqTally = (): ReqTally => ({
  reqsReceived: 0,
  eoseSent: 0,
  pongsSent: 0,
  lastReqAnswer: null,
});

/** True when a client frame is a REQ (read before it is parsed, so a silent relay counts it too). */
export function isReqFrame(data: RawData, isBinary: boolean): boolean {
  if (isBinary) return false;
  const first = Array.isArray(data) ? data[0] : data;
  if (!first) return false;
  const head = Buffer.isBuffer(first)
    ? first.subarray(0, 16)
    : Buffer.from(first, 0, Math.min(16, first.byteLength));
  return REQ_HEAD.test(head.toString());
}

/**
 * Counts a client frame the relay received (a REQ waits for its answer); false when the relay's
 * mode answers nothing a client sends (`silent-after-open`: only its socket and pings are served).
 */
export function noteClientFrame(tally: ReqTally, mode: RelayMode, data: RawData, isBinary: boolean): boolean {
  if (isReqFrame(data, isBinary)) {
    tally.reqsReceived++;
    tally.lastReqAnswer = 'none';
  }
  return mode !== 'silent-after-open';
}

/** Counts a control frame the relay sent: an EOSE or a CLOSED answers a REQ. */
export function noteRelayFrame(tally: ReqTally, frame: readonly unknown[]): void {
  if (frame[0] === 'EOSE') {
    tally.eoseSent++;
    tally.lastReqAnswer = 'eose';
  } else if (frame[0] === 'CLOSED') tally.lastReqAnswer = closedAnswer(String(frame[2] ?? ''));
}

/** What a CLOSED with `reason` tells about the relay's answer to a REQ. */
export function closedAnswer(reason: string): ReqAnswer {
  if (reason.startsWith('auth-required:')) return 'auth-required';
  if (reason.startsWith('restricted:') && /\b(pay|paid|payment)\b/i.test(reason)) return 'payment-required';
  return 'closed';
}
