import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

export { freePort } from '@nostr-info/shared/testing';

/** The built CLI, as `pnpm nostr-info` and the container image run it. */
export const CLI = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/**
 * A clean environment: only what a process needs plus `env`. Nothing leaks in from the developer's
 * shell (a DATABASE_URL there must not redirect a test).
 */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running CLI process with its output collected. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private readonly exited: Promise<Finished>;

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [CLI, ...args], {
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
      stdout: this.stdout,
      stderr: this.stderr,
    }));
  }

  /** Resolves when the process ends; kills it (and fails) after `timeoutMs`. */
  async finished(timeoutMs = 60_000): Promise<Finished> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`process did not exit within ${timeoutMs} ms\n${this.stdout}\n${this.stderr}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<Finished> {
    this.child.kill(signal);
    return this.finished(timeoutMs);
  }

  /** Waits for a log line matching `predicate`; fails after `timeoutMs` or when the process ends. */
  async waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<void> {
    // The poll ends with false when the process exits first, so a dead process fails at once.
    const seen = await vi
      .waitFor(
        () => {
          if (this.logs().some(predicate)) return true;
          if (this.child.exitCode !== null) return false;
          throw new Error('log line not seen yet');
        },
        { timeout: timeoutMs, interval: 20 },
      )
      .catch(() => false);
    if (!seen) {
      throw new Error(`log line not seen (exit ${this.child.exitCode})\n${this.stdout}\n${this.stderr}`);
    }
  }

  /** Parsed NDJSON log lines (non-JSON lines are skipped). */
  logs(): Record<string, unknown>[] {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  }
}

/** Runs the CLI to completion. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<Finished> {
  return new CliProcess(args, env).finished(timeoutMs);
}

/** Polls `url` until it answers `status`, or fails after `timeoutMs` (also when `proc` exits). */
export async function waitForStatus(
  url: string,
  status: number,
  proc: CliProcess,
  timeoutMs = 90_000,
): Promise<void> {
  // The poll ends with false when the process exits first, so a dead process fails at once.
  const answered = await vi
    .waitFor(
      async () => {
        if (proc.child.exitCode !== null) return false;
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        await res.body?.cancel();
        if (res.status !== status) throw new Error(`status ${res.status}`);
        return true;
      },
      { timeout: timeoutMs, interval: 250 },
    )
    .catch((err: unknown) => {
      const last = err instanceof Error ? err.message : String(err);
      throw new Error(
        `${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})\n${proc.stderr}`,
      );
    });
  if (!answered) {
    throw new Error(
      `process exited with ${proc.child.exitCode} before ${url} answered\n${proc.stdout}\n${proc.stderr}`,
    );
  }
}
