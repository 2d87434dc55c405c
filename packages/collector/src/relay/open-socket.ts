import WebSocket from 'ws';
import { assertPublicHost, publicLookup } from './public-lookup.js';

/** Largest frame a relay socket processes by default; real events stay far below it. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Opens a client socket to a relay with the collector's settings (throws on a bad URL).
 * `publicOnly` for relays anyone can advertise: names resolving to private addresses are refused.
 */
export function openSocket(
  url: string,
  openTimeoutMs: number,
  maxFrameBytes: number,
  publicOnly = false,
): WebSocket {
  if (publicOnly) assertPublicHost(url);
  return new WebSocket(url, {
    ...(publicOnly ? { lookup: publicLookup } : {}),
    handshakeTimeout: openTimeoutMs,
    // Frames up to 16× the limit are read and dropped so the stream behind them is kept;
    // anything larger closes the socket (1009).
    maxPayload: maxFrameBytes * 16,
    // Compression costs more CPU than the bandwidth it saves at this event rate.
    perMessageDeflate: false,
    headers: { 'User-Agent': 'nostr-info-collector' },
  });
}
