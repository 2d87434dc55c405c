export * from './collector.js';
export * from './collector-types.js';
export * from './relay-list.js';
