import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger } from '@nostr-info/shared/log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchStatefulSet } from '../src/shard/replica-count.js';

// The real Kubernetes client and watch loop against a stand-in for the one part that cannot run
// here, the API server: it streams watch events for the StatefulSet and ends the stream, as API
// servers do every few minutes. The replica count follows spec.replicas and the watch reopens.

describe('StatefulSet watch', () => {
  let server: Server;
  const streams: ServerResponse[] = [];
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      streams.push(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of streams) s.end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const send = (type: string, name: string, replicas: number) =>
    streams
      .at(-1)
      ?.write(`${JSON.stringify({ type, object: { metadata: { name }, spec: { replicas } } })}\n`);

  it('follows spec.replicas and reopens an ended watch', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'test',
          server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          skipTLSVerify: true,
        },
      ],
      users: [{ name: 'test' }],
      contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
      currentContext: 'test',
    });
    const source = await watchStatefulSet('collector', 'stats', 3, createLogger({ level: 'silent' }), kc);
    try {
      expect(source.current).toBe(3);
      await expect.poll(() => streams.length, { timeout: 5000, message: 'watch request' }).toBe(1);
      expect(paths[0]).toContain('/apis/apps/v1/namespaces/stats/statefulsets');
      expect(decodeURIComponent(paths[0] ?? '')).toContain('metadata.name=collector');
      send('ADDED', 'collector', 3);
      send('MODIFIED', 'collector', 4);
      await expect.poll(() => source.current, { timeout: 5000, message: 'scale to 4' }).toBe(4);
      // The API server ends the watch; the client opens a new one and keeps following.
      streams[0]?.end();
      await expect.poll(() => streams.length, { timeout: 5000, message: 'watch reopened' }).toBe(2);
      send('MODIFIED', 'collector', 5);
      await expect.poll(() => source.current, { timeout: 5000, message: 'scale to 5' }).toBe(5);
    } finally {
      source.stop();
    }
  });
});
