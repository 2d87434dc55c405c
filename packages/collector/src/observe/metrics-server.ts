import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** Serves `/metrics` (Prometheus text) and `/health` on `port`; resolves once listening. */
export async function startMetricsServer(
  registry: Registry,
  port: number,
  host = '0.0.0.0',
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/health') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path === '/metrics') {
      registry
        .metrics()
        .then((body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body))
        .catch(() => res.writeHead(500).end());
      return;
    }
    res
      .writeHead(404, { 'Content-Type': 'application/json' })
      .end('{"error":{"code":"not_found","message":"not found"}}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
