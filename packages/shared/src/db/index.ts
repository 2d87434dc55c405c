export * from './consistent-read.js';
export * from './counters.js';
export * from './data-dir-lock.js';
export * from './factory.js';
export * from './migrate.js';
export * from './migrations.js';
export * from './read-pool.js';
export * from './schema.js';
