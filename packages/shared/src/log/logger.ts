import { type Logger, type LoggerOptions, pino } from 'pino';
import { mayContainSecret, redactText } from '../config/redact.js';

export type { Logger } from 'pino';

export interface LoggerFactoryOptions {
  level?: string;
  /** Human-readable output for development; production logs are NDJSON. */
  pretty?: boolean;
  /** Extra fields on every line, e.g. `{ service: 'collector' }`. */
  base?: Record<string, unknown>;
  /** Where NDJSON goes (default stdout); tests pass a stream to read the lines back. */
  destination?: pino.DestinationStream;
}

/** Connection strings and credentials never reach a log line, wherever they are nested. */
export const REDACT_PATHS = [
  'databaseUrl',
  'databaseReadUrl',
  'redisUrl',
  'connectionString',
  'password',
  '*.password',
  '*.databaseUrl',
  '*.databaseReadUrl',
  '*.redisUrl',
  '*.connectionString',
  'env.DATABASE_URL',
  'env.DATABASE_READ_URL',
  'env.REDIS_URL',
  'env.PUSHGATEWAY_URL',
  'DATABASE_URL',
  'DATABASE_READ_URL',
  'REDIS_URL',
  'PUSHGATEWAY_URL',
];

const MAX_SCRUB_DEPTH = 4;

/**
 * Masks credentials in every string of a log object, so a connection string logged under any
 * key (or inside an error message) loses its password. Copies only what changes.
 */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return mayContainSecret(value) ? redactText(value) : value;
  if (value === null || typeof value !== 'object' || depth >= MAX_SCRUB_DEPTH) return value;
  if (value instanceof Error) return value; // the err serializer below redacts errors
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const clean = scrub(item, depth + 1);
      if (clean !== item) {
        out ??= [...value];
        out[i] = clean;
      }
    });
    return out ?? value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const clean = scrub(item, depth + 1);
    if (clean !== item) {
      out ??= { ...(value as Record<string, unknown>) };
      out[key] = clean;
    }
  }
  return out ?? value;
}

/** pino's error serializer, with credentials masked in the message and stack. */
function errSerializer(err: Error): Record<string, unknown> {
  // A plain copy: the serializer's object has its own prototype, which scrub leaves alone.
  const out = { ...(pino.stdSerializers.err(err) as unknown as Record<string, unknown>) };
  return scrub(out) as Record<string, unknown>;
}

/** pino logger with the project's defaults: NDJSON to stdout, ISO time, redaction. */
export function createLogger({
  level = 'info',
  pretty = false,
  base = {},
  destination,
}: LoggerFactoryOptions = {}): Logger {
  const options: LoggerOptions = {
    level,
    base: { pid: process.pid, ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: errSerializer, error: errSerializer },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => scrub(bindings) as Record<string, unknown>,
      log: (object) => scrub(object) as Record<string, unknown>,
    },
    hooks: {
      // The message text and its interpolation arguments.
      logMethod(args, method) {
        const clean = args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg)) as typeof args;
        // `log.error(err)` takes its message from the error: give pino the masked one instead.
        const [first] = args;
        if (first instanceof Error && args.length === 1) clean.push(scrub(first.message) as string);
        method.apply(this, clean);
      },
    },
  };
  const logger = pretty
    ? pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } })
    : destination
      ? pino(options, destination)
      : pino(options);
  return scrubChildBindings(logger);
}

/**
 * pino formats only the root bindings; child bindings (`child({ url })`) are masked here. Children
 * inherit from their parent, so replacing `child` on the root covers every descendant.
 */
function scrubChildBindings(logger: Logger): Logger {
  const original = Object.getPrototypeOf(logger).child as Logger['child'];
  logger.child = function scrubbedChild(this: Logger, bindings, options) {
    return original.call(this, scrub(bindings) as typeof bindings, options);
  } as Logger['child'];
  return logger;
}
