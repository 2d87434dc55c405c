import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The socket's peer address; "unknown" for in-process requests (`app.request`). */
function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The client's address. With `trustProxyHops` = 0 it is the socket's peer, whatever headers say,
 * so nobody escapes a limit by sending X-Forwarded-For. With N trusted proxies in front, each
 * appends the address it saw: the client is the entry N hops from the right of
 * `[...X-Forwarded-For, socket]` (or the leftmost when the list is shorter).
 */
export function clientIp(c: Context, trustProxyHops: number): string {
  const socket = socketAddress(c);
  if (trustProxyHops <= 0) return socket;
  return pickClientIp(socket, c.req.header('x-forwarded-for'), trustProxyHops);
}

/** `clientIp` from the socket's address and the X-Forwarded-For header (no Hono context). */
export function pickClientIp(socket: string, header: string | undefined, trustProxyHops: number): string {
  if (trustProxyHops <= 0 || !header) return socket;
  const chain = [
    ...header
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    socket,
  ];
  const candidate = chain[Math.max(0, chain.length - 1 - trustProxyHops)] ?? socket;
  return isIP(candidate) ? candidate : socket;
}
