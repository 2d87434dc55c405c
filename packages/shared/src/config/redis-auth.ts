import { z } from 'zod';
import type { EnvProblem } from './env-error.js';
import { redactText } from './redact.js';

/** One seed node of a Redis Cluster, with the credentials its `redis://` form carried, if any. */
export interface ClusterNode {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const NODE_URL = /^redis:\/\//i;

/** `host:port` or `redis://[user[:password]@]host[:port]`; an error message when it is neither. */
function parseNode(part: string, index: number): ClusterNode | string {
  if (NODE_URL.test(part)) {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      // Never echo the entry: it may hold a password the URL parser could not find.
      return `entry ${index + 1} is not a valid redis://[user:password@]host:port URL`;
    }
    const port = url.port === '' ? 6379 : Number(url.port);
    if (!url.hostname || !(port >= 1 && port <= 65535) || (url.pathname !== '' && url.pathname !== '/')) {
      return `entry ${index + 1} is not a valid redis://[user:password@]host:port URL (no path, port 1-65535)`;
    }
    const node: ClusterNode = { host: url.hostname.replace(/^\[|\]$/g, ''), port };
    if (url.username) node.username = decodeURIComponent(url.username);
    if (url.password) node.password = decodeURIComponent(url.password);
    return node;
  }
  const match = HOST_PORT.exec(part);
  const port = Number(match?.[2]);
  if (!match?.[1] || !(port >= 1 && port <= 65535)) {
    return `expected host:port[,host:port…] or redis://[user:password@]host:port, "${redactText(part)}" is not host:port`;
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/**
 * `REDIS_CLUSTER_NODES`: `host:port,…`, where an entry may also be written
 * `redis://user:password@host:port`. Credentials found in any entry are used for every node
 * (ioredis discovers the other nodes itself), so entries that carry some must agree.
 */
export const clusterNodesSchema = z
  .string()
  .transform((value, ctx) => {
    const nodes: ClusterNode[] = [];
    for (const [index, part] of value.split(',').map((s, i) => [i, s.trim()] as const)) {
      const node = parseNode(part, index);
      if (typeof node === 'string') {
        ctx.addIssue({ code: 'custom', message: node });
        return z.NEVER;
      }
      nodes.push(node);
    }
    const withAuth = nodes.filter((n) => n.username !== undefined || n.password !== undefined);
    const first = withAuth[0];
    if (first && withAuth.some((n) => n.username !== first.username || n.password !== first.password)) {
      ctx.addIssue({
        code: 'custom',
        message: 'entries carry different credentials; one user and password is used for every node',
      });
      return z.NEVER;
    }
    return nodes;
  })
  .optional();

/** The user name and password for every connection to the cache (single node or Cluster). */
export interface RedisCredentials {
  username?: string;
  password?: string;
}

/**
 * Credentials for the cache: `REDIS_USERNAME`/`REDIS_PASSWORD`, else those written into the
 * cluster node URLs. For `REDIS_URL` ioredis reads the URL's own credentials.
 */
export function redisCredentials(env: {
  REDIS_CLUSTER_NODES?: ClusterNode[] | undefined;
  REDIS_USERNAME?: string | undefined;
  REDIS_PASSWORD?: string | undefined;
}): RedisCredentials {
  const fromNodes = env.REDIS_CLUSTER_NODES?.find(
    (n) => n.username !== undefined || n.password !== undefined,
  );
  const username = env.REDIS_USERNAME ?? fromNodes?.username;
  const password = env.REDIS_PASSWORD ?? fromNodes?.password;
  return { ...(username !== undefined && { username }), ...(password !== undefined && { password }) };
}

function urlHasCredentials(value: string | undefined): boolean {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

/**
 * Settings that are valid one by one but not together: credentials given both in a URL and in
 * `REDIS_USERNAME`/`REDIS_PASSWORD` (which would win is not obvious), or a user without a password.
 */
export function redisAuthProblems(
  input: Record<string, string | undefined>,
  shown: (name: string, value: unknown) => string,
): EnvProblem[] {
  const problems: EnvProblem[] = [];
  const separate = input.REDIS_PASSWORD !== undefined || input.REDIS_USERNAME !== undefined;
  const inUrl =
    urlHasCredentials(input.REDIS_URL) ||
    (input.REDIS_CLUSTER_NODES ?? '')
      .split(',')
      .some((part) => NODE_URL.test(part.trim()) && urlHasCredentials(part.trim()));
  if (separate && inUrl) {
    const name = input.REDIS_PASSWORD !== undefined ? 'REDIS_PASSWORD' : 'REDIS_USERNAME';
    problems.push({
      name,
      given: shown(name, input[name]),
      expected: 'credentials are already in REDIS_URL or REDIS_CLUSTER_NODES; give them in one place only',
    });
  }
  if (input.REDIS_USERNAME !== undefined && input.REDIS_PASSWORD === undefined && !inUrl) {
    problems.push({
      name: 'REDIS_USERNAME',
      given: shown('REDIS_USERNAME', input.REDIS_USERNAME),
      expected: 'REDIS_USERNAME needs REDIS_PASSWORD (Redis ACL users log in with both)',
    });
  }
  return problems;
}
