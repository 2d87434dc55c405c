export * from './env.js';
export * from './env-error.js';
export * from './redact.js';
export * from './redis-auth.js';
