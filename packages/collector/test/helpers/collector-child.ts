import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testServices } from '@nostr-info/shared/testing';
import type { TestWorld } from './context.js';

const SCRIPT = fileURLToPath(new URL('./collector-process.mjs', import.meta.url));

export interface CollectorChild {
  child: ChildProcess;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Starts the built collector role as its own process (`collector-process.mjs`) on the world's database
 * and Redis prefix, with discovery off, one verify worker and warnings only; `env` adds the rest.
 */
export function startCollectorChild(world: TestWorld, env: Record<string, string>): CollectorChild {
  const child = spawn(process.execPath, [SCRIPT], {
    env: {
      ...process.env,
      DATABASE_URL: world.db.url,
      REDIS_URL: testServices().TEST_REDIS_URL,
      REDIS_KEY_PREFIX: world.prefix,
      DISCOVERY_ENABLED: 'false',
      VERIFY_WORKERS: '1',
      LOG_LEVEL: 'warn',
      // Zap providers in tests are LNURL servers on loopback (relay-sim's), over plain http.
      LNURL_ALLOW_INSECURE: 'true',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited };
}
