import type { NostrEvent } from '@nostr-info/shared/nostr';
import WebSocket from 'ws';

/** A relay's `OK` for one event: accepted or not, and its reason. */
export interface OkAnswer {
  accepted: boolean;
  message: string;
}

export interface SendBatchOptions {
  /** How long the whole batch may take, from dialling to the last `OK`. */
  timeoutMs?: number;
}

/** Largest frame read from a publish relay; its answers are short `OK` and `NOTICE` messages. */
const MAX_FRAME_BYTES = 64 * 1024;

/**
 * Sends `events` to `url` on one socket and collects the relay's `OK` for each (NIP-01), by event
 * id. Resolves when every event is answered, or with the answers so far when the socket fails,
 * closes or the time runs out: an event without an answer was not stored as far as we know.
 * Never rejects.
 */
export function sendBatch(
  url: string,
  events: readonly NostrEvent[],
  { timeoutMs = 15_000 }: SendBatchOptions = {},
): Promise<Map<string, OkAnswer>> {
  const answers = new Map<string, OkAnswer>();
  const wanted = new Set(events.map((e) => e.id));
  if (wanted.size === 0) return Promise.resolve(answers);
  return new Promise((resolve) => {
    const ws = new WebSocket(url, {
      handshakeTimeout: timeoutMs,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
      headers: { 'User-Agent': 'nostr-info-monitor' },
    });
    const finish = () => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(answers);
    };
    const timer = setTimeout(finish, timeoutMs);
    ws.on('open', () => {
      for (const event of events) ws.send(JSON.stringify(['EVENT', event]));
    });
    ws.on('message', (data) => {
      const answer = okOf(data.toString());
      if (!answer || !wanted.has(answer.id)) return;
      answers.set(answer.id, { accepted: answer.accepted, message: answer.message });
      if (answers.size === wanted.size) finish();
    });
    ws.on('error', finish);
    ws.on('close', finish);
  });
}

/** An `["OK", id, accepted, message]` frame, or undefined for anything else. */
export function okOf(text: string): ({ id: string } & OkAnswer) | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(message) || message[0] !== 'OK') return undefined;
  const [, id, accepted, reason] = message;
  if (typeof id !== 'string' || typeof accepted !== 'boolean') return undefined;
  return { id, accepted, message: typeof reason === 'string' ? reason.slice(0, 300) : '' };
}
