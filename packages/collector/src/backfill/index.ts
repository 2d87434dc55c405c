export * from './backfill-metrics.js';
export * from './backfill-result.js';
export * from './event-check.js';
export * from './run-backfill.js';
export * from './write-page.js';
