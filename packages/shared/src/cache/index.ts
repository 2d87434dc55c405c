export * from './cache.js';
export * from './factory.js';
export * from './memory-cache.js';
export * from './redis-cache.js';
