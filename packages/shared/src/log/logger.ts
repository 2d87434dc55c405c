import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

export interface LoggerFactoryOptions {
  level?: string;
  /** Human-readable output for development; production logs are NDJSON. */
  pretty?: boolean;
  /** Extra fields on every line, e.g. `{ service: 'collector' }`. */
  base?: Record<string, unknown>;
}

/** Connection strings and credentials never reach a log line, wherever they are nested. */
export const REDACT_PATHS = [
  'databaseUrl',
  'redisUrl',
  'password',
  '*.password',
  '*.databaseUrl',
  '*.redisUrl',
  'env.DATABASE_URL',
  'env.DATABASE_READ_URL',
  'env.REDIS_URL',
  'DATABASE_URL',
  'DATABASE_READ_URL',
  'REDIS_URL',
];

/** pino logger with the project's defaults: NDJSON to stdout, ISO time, redaction. */
export function createLogger({
  level = 'info',
  pretty = false,
  base = {},
}: LoggerFactoryOptions = {}): Logger {
  const options: LoggerOptions = {
    level,
    base: { pid: process.pid, ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(options);
}
