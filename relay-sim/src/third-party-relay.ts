import type { AddressInfo } from 'node:net';
import type { NostrEvent } from '@nostr-info/shared/nostr';
import { createOutgoingNoticeMessage } from '@nostr-relay/common';
import { NostrRelay } from '@nostr-relay/core';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';
import { Validator } from '@nostr-relay/validator';
import { WebSocket, WebSocketServer } from 'ws';

/** The relay's answer to a published event (its `OK` message). */
export interface PublishResult {
  accepted: boolean;
  message: string;
}

/** A real third-party relay (the `@nostr-relay/*` packages from npm) on loopback. */
export interface ThirdPartyRelay {
  url: string;
  /** Publishes over a fresh WebSocket and resolves to the relay's `OK`. */
  publish(event: NostrEvent): Promise<PublishResult>;
  stop(): Promise<void>;
}

/**
 * Starts @nostr-relay/core with the SQLite (in-memory) repository, served with `ws` on 127.0.0.1.
 * It verifies ids and signatures, serves no NIP-11, and silently drops the oldest subscription past
 * 20 per connection — a relay this project does not control.
 */
export async function startThirdPartyRelay({ port = 0 }: { port?: number } = {}): Promise<ThirdPartyRelay> {
  const repository = new EventRepositorySqlite(':memory:');
  await repository.init();
  const relay = new NostrRelay(repository);
  const validator = new Validator();
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('connection', (ws) => {
    relay.handleConnection(ws);
    ws.on('message', async (data) => {
      try {
        const message = await validator.validateIncomingMessage(data);
        await relay.handleMessage(ws, message);
      } catch (err) {
        ws.send(
          JSON.stringify(createOutgoingNoticeMessage(err instanceof Error ? err.message : String(err))),
        );
      }
    });
    ws.on('close', () => relay.handleDisconnect(ws));
    ws.on('error', () => ws.terminate());
  });
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  return {
    url,
    publish: (event) => publishOnce(url, event),
    stop: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await relay.destroy();
      await repository.destroy();
    },
  };
}

/** Sends one EVENT on a new socket and waits for the matching OK (or a NOTICE rejecting it). */
export function publishOnce(url: string, event: NostrEvent, timeoutMs = 5000): Promise<PublishResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no OK from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (result: PublishResult): void => {
      clearTimeout(timer);
      ws.close();
      resolve(result);
    };
    ws.on('open', () => ws.send(JSON.stringify(['EVENT', event])));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as unknown[];
      if (msg[0] === 'OK' && msg[1] === event.id)
        done({ accepted: msg[2] === true, message: String(msg[3] ?? '') });
      // The validator rejects malformed events with a NOTICE instead of an OK.
      else if (msg[0] === 'NOTICE') done({ accepted: false, message: String(msg[1] ?? '') });
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
