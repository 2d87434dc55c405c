export * from './compute/range-window.js';
export * from './errors.js';
export * from './publish/cache.js';
export * from './publish/pushgateway.js';
export * from './scheduler.js';
