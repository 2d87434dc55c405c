import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    base: { service: 'test' },
    destination: { write: (s) => lines.push(s) },
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

const SECRET = 'hunter2-Secret';
const DB = `postgres://app:${SECRET}@db.internal:5432/nostr`;

describe('createLogger', () => {
  it('writes NDJSON with level label, ISO time, pid and base fields', () => {
    const { logger, records } = capture();
    logger.info({ relay: 'wss://relay.example' }, 'connected');
    logger.debug('hidden below the level');
    const [line, ...rest] = records();
    expect(rest).toHaveLength(0);
    expect(line).toMatchObject({
      level: 'info',
      service: 'test',
      pid: process.pid,
      msg: 'connected',
      relay: 'wss://relay.example',
    });
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
  });

  it('redacts connection strings under the known keys', () => {
    const { logger, lines } = capture();
    logger.info({ env: { DATABASE_URL: DB, REDIS_URL: `redis://:${SECRET}@r:6379`, PORT: 3000 } }, 'config');
    logger.info({ databaseUrl: DB, DATABASE_READ_URL: DB }, 'pools');
    expect(lines.join('')).not.toContain(SECRET);
    expect(lines.join('')).toContain('"PORT":3000');
  });

  it('redacts connection strings under any key, nested, in arrays and in child bindings', () => {
    const { logger, lines, records } = capture();
    logger.info({ target: DB, nested: { deeper: { list: [DB, 'plain'] } } }, 'anywhere');
    logger.child({ upstream: DB }).warn('child');
    const text = lines.join('');
    expect(text).not.toContain(SECRET);
    const first = records()[0] as { target: string; nested: { deeper: { list: string[] } } };
    expect(first.target).toBe('postgres://app:***@db.internal:5432/nostr');
    expect(first.nested.deeper.list).toEqual(['postgres://app:***@db.internal:5432/nostr', 'plain']);
  });

  it('redacts connection strings in the message and its arguments', () => {
    const { logger, lines } = capture();
    logger.info(`opening ${DB}`);
    logger.info('opening %s', DB);
    logger.info({ n: 1 }, 'libpq style: host=db password=%s', SECRET);
    expect(lines).toHaveLength(3);
    expect(lines.join('')).not.toContain(SECRET);
    expect(lines[0]).toContain('db.internal');
  });

  it('redacts connection strings inside logged errors, keeping type and stack', () => {
    const { logger, lines, records } = capture();
    const err = new Error(`could not connect to ${DB}`);
    logger.error({ err }, 'failed');
    logger.error(new Error(`plain ${DB}`));
    expect(lines.join('')).not.toContain(SECRET);
    const logged = records()[0]?.err as { type: string; message: string; stack: string };
    expect(logged.type).toBe('Error');
    expect(logged.message).toBe('could not connect to postgres://app:***@db.internal:5432/nostr');
    expect(logged.stack).toContain('logger.test.ts');
    // The caller's error object is not changed.
    expect(err.message).toContain(SECRET);
  });

  it('leaves ordinary objects untouched', () => {
    const { logger, records } = capture();
    const payload = { relay: 'wss://relay.example/path?x=1', count: 3, ok: true, tags: ['a', 'b'] };
    logger.info(payload, 'plain');
    expect(records()[0]).toMatchObject(payload);
  });
});
