import type WebSocket from 'ws';
import {
  isEventFrame,
  parseRelayMessage,
  type RelayMessage,
  RelayMessageError,
} from '../protocol/relay-message.js';
import type { RelayHealth } from './relay-health.js';
import type { RelaySubscription } from './relay-subscription.js';

/** The relay messages a connection acts on itself; the reader accounts for the others. */
export type AnswerMessage = Extract<RelayMessage, { type: 'EOSE' | 'CLOSED' }>;

/**
 * Reads one relay's socket messages. EVENT frames come back as bytes (copies already counted are
 * recognised downstream without decoding), EOSE and CLOSED as parsed messages; what else the relay
 * sends (frames over the size limit, garbage, NOTICE, AUTH) goes to its health accounting here.
 * Frames of a replay being paged are noted for its subscription on the way.
 */
export class FrameReader {
  constructor(
    private readonly maxFrameBytes: number,
    private readonly health: RelayHealth,
    private readonly subscription: RelaySubscription,
  ) {}

  /**
   * One message from the socket: an EVENT frame's bytes, an EOSE or CLOSED, or `undefined` when
   * there is nothing more to do. While `stopping`, only the events still on the wire matter.
   */
  read(data: WebSocket.RawData, isBinary: boolean, stopping: boolean): Buffer | AnswerMessage | undefined {
    if (isBinary) return undefined;
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
    if (size > this.maxFrameBytes) {
      this.health.oversized();
      return undefined;
    }
    const frame = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    // EVENT frames go on as bytes: copies already counted are recognised without decoding.
    if (isEventFrame(frame)) {
      this.subscription.noteFrame(frame);
      return frame;
    }
    return this.text(frame.toString(), stopping);
  }

  private text(raw: string, stopping: boolean): Buffer | AnswerMessage | undefined {
    let message: RelayMessage;
    try {
      message = parseRelayMessage(raw);
    } catch (err) {
      if (!(err instanceof RelayMessageError)) throw err;
      if (!stopping) this.health.garbage();
      return undefined;
    }
    if (message.type === 'EVENT') {
      // Frames like `[ "EVENT", …]` with spacing take this slower path, to the same end.
      this.subscription.noteParsed(message.subscriptionId, message.event);
      return Buffer.from(raw);
    }
    if (stopping) return undefined;
    switch (message.type) {
      case 'EOSE':
      case 'CLOSED':
        return message;
      case 'NOTICE':
        this.health.notice(message.message);
        return undefined;
      case 'AUTH':
        this.health.auth();
        return undefined;
      default:
        return undefined;
    }
  }
}
